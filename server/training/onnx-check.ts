import { AppError } from "../errors";

export interface OnnxSignature {
  inputs: { name: string; type: string; shape: (number | string)[] }[];
  outputs: { name: string; type: string; shape: (number | string)[] }[];
}

/** Loads a model with ONNX Runtime; a file it cannot load is refused with ONNX Runtime's reason. */
export async function checkOnnx(bytes: Uint8Array): Promise<OnnxSignature> {
  const ort = await import("onnxruntime-node");
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (err) {
    throw new AppError("BAD_REQUEST", `model.onnx is not a model ONNX Runtime can load: ${(err as Error).message.split("\n")[0]}`);
  }
  const describe = (m: (typeof session.inputMetadata)[number]) => ({
    name: m.name,
    type: m.isTensor ? m.type : "non-tensor",
    shape: m.isTensor ? [...m.shape] : [],
  });
  const signature = { inputs: session.inputMetadata.map(describe), outputs: session.outputMetadata.map(describe) };
  await session.release();
  return signature;
}
