/** The `cairn` bin (bundled to dist/cairn.mjs with a node shebang). */
import { main } from "./cli/main.js";

process.exitCode = await main(process.argv);
