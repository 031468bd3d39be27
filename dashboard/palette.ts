/**
 * Colours of the dashboard, chosen to stay apart for the common colour-vision deficiencies: the Okabe-Ito
 * qualitative palette (Okabe & Ito, "Color Universal Design") for categories, and five steps of viridis
 * (matplotlib's perceptually uniform sequential map) for the success-rate heat map. Colour is never the
 * only carrier: every mark has a title and every chart a table of its numbers.
 */

/** Okabe-Ito without black (kept for text); "other" categories get neutral grey. */
export const CATEGORY_COLORS: readonly string[] = [
  "#E69F00", // orange
  "#56B4E9", // sky blue
  "#009E73", // bluish green
  "#0072B2", // blue
  "#D55E00", // vermillion
  "#CC79A7", // reddish purple
  "#F0E442", // yellow
];
export const OTHER_COLOR = "#999999";

export interface ColorBin {
  readonly label: string;
  readonly color: string;
  /** Lowest success rate (percent) in the bin. */
  readonly min: number;
}

/** Success-rate bins, worst first: dark (viridis 0.0) for failing days, bright (viridis 1.0) for 100 %. */
export const SUCCESS_BINS: readonly ColorBin[] = [
  { label: "below 50 %", color: "#440154", min: 0 },
  { label: "50 – 75 %", color: "#3B528B", min: 50 },
  { label: "75 – 90 %", color: "#21918C", min: 75 },
  { label: "90 – 99.9 %", color: "#5EC962", min: 90 },
  { label: "100 %", color: "#FDE725", min: 100 },
];
/** Jobs that have not finished yet (no success rate): light grey, outlined. */
export const UNFINISHED_COLOR = "#D9D9D9";

/** Index into SUCCESS_BINS for a success rate in percent. */
export function successBin(ratePct: number): number {
  let index = 0;
  SUCCESS_BINS.forEach((bin, i) => {
    if (ratePct >= bin.min) index = i;
  });
  return index;
}
