import { main } from "../src/conformance";
main(process.argv.slice(2)).then((c) => console.log("exit", c));
