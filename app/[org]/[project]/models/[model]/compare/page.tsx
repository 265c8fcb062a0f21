import { Suspense } from "react";
import { LoadingRows } from "../../../../../_components/states";
import { projectTitle } from "../../../../../_lib/titles";
import { CompareView } from "./compare-view";

export const generateMetadata = projectTitle("Models", async (c, id, p) => `Compare · ${(await c.model.get({ projectId: id, name: decodeURIComponent(p.model!) })).name}`);

export default function Page() {
  return (
    <Suspense fallback={<LoadingRows rows={6} label="Loading comparison" />}>
      <CompareView />
    </Suspense>
  );
}
