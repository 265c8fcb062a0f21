/** A small builder for ONNX graphs: unique value names, typed initializers, attributes and metadata. */
import {
  AttributeType,
  DataType,
  encodeModel,
  type AttributeMessage,
  type DataTypeCode,
  type NodeMessage,
  type TensorMessage,
  type ValueInfoMessage,
} from "./schema";

/** IR version 8 and these opsets are what onnx 1.12 checks and onnxruntime 1.14+ runs. */
export const IR_VERSION = 8;
/** Default-domain opset version. */
export const OPSET_ONNX = 17;
/** ai.onnx.ml opset version (TreeEnsemble* v3, LabelEncoder v2). */
export const OPSET_ML = 3;
/** Domain of the traditional-ML operators. */
export const ML_DOMAIN = "ai.onnx.ml";
/** The symbolic batch dimension of every input and output. */
export const BATCH_DIM = "N";

const utf8 = new TextEncoder();

/** One node attribute, built by the helpers below. */
export type Attribute = AttributeMessage;

/** Typed constructors for node attributes. */
export const attr = {
  int: (name: string, i: number): Attribute => ({ name, type: AttributeType.INT, i }),
  float: (name: string, f: number): Attribute => ({ name, type: AttributeType.FLOAT, f }),
  string: (name: string, s: string): Attribute => ({ name, type: AttributeType.STRING, s: utf8.encode(s) }),
  ints: (name: string, values: ArrayLike<number>): Attribute => ({ name, type: AttributeType.INTS, ints: Array.from(values) }),
  floats: (name: string, values: ArrayLike<number>): Attribute => ({ name, type: AttributeType.FLOATS, floats: Array.from(values) }),
  strings: (name: string, values: readonly string[]): Attribute => ({ name, type: AttributeType.STRINGS, strings: values.map((v) => utf8.encode(v)) }),
};

/** A dimension: a fixed size, or the batch dimension. */
export type Dim = number | typeof BATCH_DIM;

/** Accumulates nodes, initializers, inputs and outputs, and hands out names no other value uses. */
export class GraphBuilder {
  private readonly nodes: NodeMessage[] = [];
  private readonly initializers: TensorMessage[] = [];
  private readonly inputs: ValueInfoMessage[] = [];
  private readonly outputs: ValueInfoMessage[] = [];
  private readonly used = new Set<string>();

  /** `reserved` are names the graph's inputs and outputs will take; internal values avoid them. */
  constructor(reserved: readonly string[]) {
    for (const name of reserved) {
      if (this.used.has(name)) throw new Error(`ONNX graph: the name "${name}" is used twice`);
      this.used.add(name);
    }
  }

  /** A fresh value name based on `hint`. */
  fresh(hint: string): string {
    let name = hint;
    for (let k = 1; this.used.has(name); k++) name = `${hint}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Declares a graph input under a reserved name. */
  input(name: string, elemType: DataTypeCode, shape: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, shape));
    return name;
  }

  /** Declares a graph output under a reserved name. */
  output(name: string, elemType: DataTypeCode, shape: readonly Dim[]): string {
    this.outputs.push(valueInfo(name, elemType, shape));
    return name;
  }

  /** A constant tensor; returns its value name. */
  constant(hint: string, dataType: DataTypeCode, dims: readonly number[], values: ArrayLike<number>): string {
    const name = this.fresh(hint);
    const tensor: TensorMessage = { name, dims: [...dims], dataType };
    if (dataType === DataType.FLOAT) tensor.floatData = Array.from(values);
    else if (dataType === DataType.DOUBLE) tensor.doubleData = Array.from(values);
    else if (dataType === DataType.INT64) tensor.int64Data = Array.from(values);
    else throw new Error(`ONNX graph: constants of type ${dataType} are not supported`);
    this.initializers.push(tensor);
    return name;
  }

  /**
   * Adds a node and returns its output names; `outputs` gives reserved names (graph outputs) or
   * hints for fresh ones.
   */
  node(opType: string, inputs: readonly string[], attributes: Attribute[] = [], options: { domain?: string; outputs?: readonly string[]; reservedOutputs?: boolean } = {}): string[] {
    const hints = options.outputs ?? [opType.toLowerCase()];
    const outputs = options.reservedOutputs ? [...hints] : hints.map((h) => this.fresh(h));
    const node: NodeMessage = { input: [...inputs], output: outputs, name: this.fresh(`${opType}_node`), opType, attribute: attributes };
    if (options.domain) node.domain = options.domain;
    this.nodes.push(node);
    return outputs;
  }

  /** Adds a single-output node and returns the output name. */
  op(opType: string, inputs: readonly string[], attributes: Attribute[] = [], domain?: string): string {
    return this.node(opType, inputs, attributes, { domain })[0]!;
  }

  /** Encodes the graph as a model with Cairn's opsets and the given metadata. */
  toModel(name: string, metadata: Record<string, string>, docString: string): Uint8Array {
    return encodeModel({
      irVersion: IR_VERSION,
      producerName: "cairn",
      producerVersion: "1",
      docString,
      graph: { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
      opsetImport: [
        { domain: "", version: OPSET_ONNX },
        { domain: ML_DOMAIN, version: OPSET_ML },
      ],
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    });
  }
}

function valueInfo(name: string, elemType: DataTypeCode, shape: readonly Dim[]): ValueInfoMessage {
  const dim = shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}
