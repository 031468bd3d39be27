import * as flatbuffers from "flatbuffers";
import { Buffer as BufferRegion } from "apache-arrow/fb/buffer";
import { FieldNode } from "apache-arrow/fb/field-node";
import { Message } from "apache-arrow/fb/message";
import { MessageHeader } from "apache-arrow/fb/message-header";
import { RecordBatch } from "apache-arrow/fb/record-batch";
import type { NormalizedColumn, NormalizedColumnType } from "../reports/normalized-table";

/**
 * Record-batch messages of an Arrow IPC stream reduced to some of their columns by copying bytes: each message's
 * field nodes and buffers of the kept columns, a new flatbuffer header naming them, and their buffers copied into a
 * new body. Decoding the rows into apache-arrow vectors and writing them again cost more CPU than the engine saved
 * by appending fewer columns; this costs about a copy of the kept bytes.
 *
 * Layout per column (Arrow columnar format, fields flattened depth-first): a string column is one field node and
 * three buffers (validity, offsets, data); an int one node and two (validity, values); a map of strings four nodes
 * (map, its entries struct, key, value) and nine buffers (2 + 1 + 3 + 3).
 */

const LAYOUT: Readonly<Record<NormalizedColumnType, { readonly nodes: number; readonly buffers: number }>> = {
  string: { nodes: 1, buffers: 3 },
  int: { nodes: 1, buffers: 2 },
  "map<string,string>": { nodes: 4, buffers: 9 },
};

const CONTINUATION = 0xffffffff;

function align8(n: number): number {
  return (n + 7) & ~7;
}

interface Kept {
  readonly nodes: number[];
  readonly buffers: number[];
  readonly totalNodes: number;
  readonly totalBuffers: number;
}

/** Which field nodes and buffers (by index) belong to the kept columns. */
function keptIndexes(columns: readonly NormalizedColumn[], keep: ReadonlySet<string>): Kept {
  const nodes: number[] = [];
  const buffers: number[] = [];
  let node = 0;
  let buffer = 0;
  for (const c of columns) {
    const layout = LAYOUT[c.type];
    if (keep.has(c.name)) {
      for (let i = 0; i < layout.nodes; i++) nodes.push(node + i);
      for (let i = 0; i < layout.buffers; i++) buffers.push(buffer + i);
    }
    node += layout.nodes;
    buffer += layout.buffers;
  }
  return { nodes, buffers, totalNodes: node, totalBuffers: buffer };
}

interface Part {
  readonly metadata: Uint8Array;
  readonly body: Uint8Array;
  readonly regions: ReadonlyArray<readonly [offset: number, length: number]>;
  readonly bodyLength: number;
}

/**
 * `messages` (record-batch messages of a stream whose columns are `columns`, without schema and end marker) with
 * only the columns named in `keep`, in the same order. Throws on anything else than uncompressed record batches of
 * that layout: the streams come from this project's own writer (queries/arrow-rows.ts).
 */
export function projectRecordBatches(messages: Uint8Array, columns: readonly NormalizedColumn[], keep: ReadonlySet<string>): Uint8Array {
  const kept = keptIndexes(columns, keep);
  const view = new DataView(messages.buffer, messages.byteOffset, messages.byteLength);
  const parts: Part[] = [];
  let total = 0;
  for (let at = 0; at < messages.length; ) {
    if (at + 8 > messages.length || view.getUint32(at, true) !== CONTINUATION) throw new Error(`Arrow message at byte ${at}: no continuation marker`);
    const metadataLength = view.getInt32(at + 4, true);
    const metadataBytes = messages.subarray(at + 8, at + 8 + metadataLength);
    const message = Message.getRootAsMessage(new flatbuffers.ByteBuffer(metadataBytes));
    if (message.headerType() !== MessageHeader.RecordBatch) throw new Error(`Arrow message at byte ${at}: not a record batch`);
    const batch = message.header(new RecordBatch()) as RecordBatch | null;
    if (batch === null || batch.compression() !== null) throw new Error(`Arrow message at byte ${at}: not an uncompressed record batch`);
    if (batch.nodesLength() !== kept.totalNodes || batch.buffersLength() !== kept.totalBuffers) {
      throw new Error(
        `Arrow message at byte ${at}: ${batch.nodesLength()} field nodes and ${batch.buffersLength()} buffers, ` +
          `expected ${kept.totalNodes} and ${kept.totalBuffers} for ${columns.length} columns`,
      );
    }
    const bodyStart = at + 8 + metadataLength;
    const body = messages.subarray(bodyStart, bodyStart + Number(message.bodyLength()));

    const builder = new flatbuffers.Builder(256 + 16 * (kept.nodes.length + kept.buffers.length));
    RecordBatch.startNodesVector(builder, kept.nodes.length);
    for (let i = kept.nodes.length - 1; i >= 0; i--) {
      const n = batch.nodes(kept.nodes[i])!;
      FieldNode.createFieldNode(builder, n.length(), n.nullCount());
    }
    const nodes = builder.endVector();
    const regions: Array<[number, number]> = [];
    let bodyLength = 0;
    for (const index of kept.buffers) {
      const b = batch.buffers(index)!;
      const length = Number(b.length());
      regions.push([Number(b.offset()), length]);
      bodyLength += align8(length);
    }
    RecordBatch.startBuffersVector(builder, regions.length);
    let offset = bodyLength;
    for (let i = regions.length - 1; i >= 0; i--) {
      offset -= align8(regions[i][1]);
      BufferRegion.createBuffer(builder, BigInt(offset), BigInt(regions[i][1]));
    }
    const buffers = builder.endVector();
    RecordBatch.startRecordBatch(builder);
    RecordBatch.addLength(builder, batch.length());
    RecordBatch.addNodes(builder, nodes);
    RecordBatch.addBuffers(builder, buffers);
    const header = RecordBatch.endRecordBatch(builder);
    Message.startMessage(builder);
    Message.addVersion(builder, message.version());
    Message.addHeaderType(builder, MessageHeader.RecordBatch);
    Message.addHeader(builder, header);
    Message.addBodyLength(builder, BigInt(bodyLength));
    builder.finish(Message.endMessage(builder));
    const metadata = builder.asUint8Array();
    parts.push({ metadata, body, regions, bodyLength });
    total += 8 + align8(metadata.length) + bodyLength;
    at = bodyStart + body.length;
  }

  const out = new Uint8Array(total);
  const outView = new DataView(out.buffer);
  let at = 0;
  for (const part of parts) {
    const padded = align8(part.metadata.length);
    outView.setUint32(at, CONTINUATION, true);
    outView.setInt32(at + 4, padded, true);
    out.set(part.metadata, at + 8);
    at += 8 + padded;
    for (const [offset, length] of part.regions) {
      out.set(part.body.subarray(offset, offset + length), at);
      at += align8(length);
    }
  }
  return out;
}
