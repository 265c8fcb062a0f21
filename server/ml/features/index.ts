/**
 * Cairn's one feature encoder: training, evaluation, robustness probes and serving turn raw cells into
 * model inputs here, with the EncodingSpec stored beside every model (encoding.json).
 */
export { CellReader, DEFAULT_MISSING_TOKENS, type Cell } from "./cells";
export { EncodingFitter, fitEncodingSpec, MAX_VOCABULARY, type FitOptions } from "./fit";
export { encode, encodeRecords, encodeTarget, encodeTrainingData, onnxFeeds, trainerFeatures, type OnnxFeed, type RawRow } from "./encode";
export { ENCODING_VERSION, isFloatKind, parseEncodingSpec, ZEncodingSpec, type EncodedFeature, type EncodingSpec, type FeatureKind, type TargetEncoding } from "./spec";

/** The ONNX metadata key Cairn-built models carry their spec under (JSON). */
export const ENCODING_METADATA_KEY = "cairn.encoding";
/** The artifact every trained model's spec is stored as, beside model.onnx. */
export const ENCODING_ARTIFACT = "encoding.json";
