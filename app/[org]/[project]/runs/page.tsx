import { Suspense } from "react";
import { LoadingRows } from "../../../_components/states";
import { RunsPage } from "./runs-page";
import { projectTitle } from "../../../_lib/titles";

export const generateMetadata = projectTitle("Runs");

export default function Page() {
  return (
    <Suspense fallback={<LoadingRows rows={8} label="Loading runs" />}>
      <RunsPage />
    </Suspense>
  );
}
