import type { ReactNode } from "react";
import { CairnMark } from "../_components/org-shell";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="mb-8 flex items-center gap-2 text-xl font-semibold text-gray-900">
        <CairnMark />
        Cairn
      </div>
      <div className="w-full max-w-md rounded-xl border border-gray-200 bg-white p-8 shadow-sm">{children}</div>
      <p className="mt-6 text-xs text-gray-400">CI/CD for machine-learning models</p>
    </div>
  );
}
