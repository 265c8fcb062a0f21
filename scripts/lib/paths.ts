import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const DATA_DIR = path.resolve(process.env.CAIRN_DATA_DIR ?? path.join(ROOT, ".data"));
