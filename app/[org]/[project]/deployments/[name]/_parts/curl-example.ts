/** Builds the copyable request for a deployment from its stable version's features. */

interface Feature {
  name: string;
  kind: "numeric" | "boolean" | "date" | "categorical";
  categories?: string[] | null;
}

interface Tensor {
  name: string;
  type: string;
}

/** An example value of the right kind: a category seen in training where the spec lists them. */
function exampleValue(f: Feature): string | number | boolean {
  if (f.kind === "numeric") return 0;
  if (f.kind === "boolean") return false;
  if (f.kind === "date") return "2026-01-01";
  return f.categories?.[0] ?? "";
}

/** One instance keyed by feature name: from the encoding spec, else from the graph's inputs (text or number by tensor type). */
export function exampleInstance(encoding: { features: Feature[] } | null, inputs: Tensor[]): Record<string, string | number | boolean> {
  if (encoding) return Object.fromEntries(encoding.features.map((f) => [f.name, exampleValue(f)]));
  return Object.fromEntries(inputs.map((t) => [t.name, t.type.includes("string") ? "" : 0]));
}

/** A shell-safe single-quoted string (a quote inside becomes '\''). */
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The request as a shell command; the body is spread over lines so that a model with many features stays readable. */
export function curlExample(url: string, instance: Record<string, unknown>): string {
  const fields = Object.entries(instance).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const body = `{"instances": [{\n${fields.join(",\n")}\n  }]}`;
  return [`curl -sS -X POST ${shellQuote(url)} \\`, `  -H "Authorization: Bearer $CAIRN_TOKEN" \\`, `  -H 'Content-Type: application/json' \\`, `  -d ${shellQuote(body)}`].join("\n");
}
