import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingRows } from "../../../../_components/states";
import { CompareView } from "./compare-view";

export const metadata: Metadata = { title: "Compare runs" };

export default function Page() {
  return (
    <Suspense fallback={<LoadingRows rows={6} label="Loading comparison" />}>
      <CompareView />
    </Suspense>
  );
}
