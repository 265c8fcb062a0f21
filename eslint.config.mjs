import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [".next/**", ".data/**", "node_modules/**", "packages/*/dist/**", "server/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "off",
    },
  },
  {
    files: ["app/**"],
    ignores: ["app/_components/inputs.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@tremor/react",
              importNames: ["TextInput", "NumberInput", "Textarea"],
              message: "Use app/_components/inputs (Tremor's inputs say \"Type...\" when given no placeholder).",
            },
          ],
        },
      ],
    },
  },
  {
    // Layering: server/ml is pure computation. It imports no I/O (files, network, processes, the
    // database, the queue, the artifact store) and no other server module. ONNX Runtime counts as
    // I/O here: server/ml builds and checks ONNX bytes, while loading and running a model (a native
    // session) belongs to its callers (server/evaluation/score.ts, server/training/onnx-check.ts).
    // Tests and their helpers may use all of these to check results against references.
    files: ["server/ml/**/*.ts"],
    ignores: ["server/ml/**/*.test.ts", "server/ml/**/test-helpers.ts", "server/ml/**/test-support.ts", "server/ml/**/*-fixture.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(node:)?(fs|fs/promises|net|http|https|http2|child_process|cluster|dgram|dns|tls|worker_threads|readline)$",
              message: "server/ml is pure computation: read and write data in the calling domain and pass values in.",
            },
            {
              regex: "^(pg|pg-.*|@prisma/.*|onnxruntime-node|onnxruntime-.*|@aws-sdk/.*|next|next/.*|next-auth.*|s3rver)$",
              message: "server/ml does no I/O: the database, queue, artifact store and model runtime belong to the calling domain.",
            },
            {
              regex: "^(@/|(\\.\\./)+)(server/)?(db|env|errors|generated|storage|jobs|events|api|auth|audit|clients|datasets|evaluation|fleet|lib|lineage|runs|system|tenancy|testing|training)(/|$)",
              message: "server/ml imports nothing from the rest of the server (rule of direction: domains call server/ml, never the reverse).",
            },
          ],
        },
      ],
    },
  },
  {
    // Layering: pages and components reach the server only through tRPC (router types, the server
    // caller for React Server Components) and the zod contracts in server/<domain>/schemas.ts.
    // Route handlers (app/api/**) are the server's HTTP edge and may call services.
    files: ["app/**/*.ts", "app/**/*.tsx"],
    ignores: ["app/api/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\./)+)server/(?!api/root$|api/server-caller$|[a-z-]+/schemas$)",
              message: "UI code reaches the server through tRPC (RouterOutputs, serverCaller) and server/<domain>/schemas.ts contracts only.",
            },
            {
              regex: "^(@/|(\\.\\./)+)server/api/root$",
              allowTypeImports: true,
              message: "Import only the AppRouter type from server/api/root; the router itself stays on the server.",
            },
            {
              regex: "^(@prisma/.*|pg|pg-.*|onnxruntime-node)$",
              message: "UI code never touches the database or the model runtime; use router outputs.",
            },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures receive a function named `use`, which is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
