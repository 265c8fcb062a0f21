import { Suspense } from "react";
import { LoadingRows } from "../../../../_components/states";
import { CompareView } from "./compare-view";
import { projectTitle } from "../../../../_lib/titles";

export const generateMetadata = projectTitle("Runs", async () => "Compare");

export default function Page() {
  return (
    <Suspense fallback={<LoadingRows rows={6} label="Loading comparison" />}>
      <CompareView />
    </Suspense>
  );
}
