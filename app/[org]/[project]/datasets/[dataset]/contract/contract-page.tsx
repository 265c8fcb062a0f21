"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorState, LoadingRows } from "../../../../../_components/states";
import { useTRPC } from "../../../../../_lib/trpc";
import { useDataset } from "../../_components/dataset-context";
import { ContractEditor } from "./contract-editor";

export function ContractPage() {
  const trpc = useTRPC();
  const dataset = useDataset();
  const ref = { projectId: dataset.projectId, datasetId: dataset.id };
  const contract = useQuery(trpc.dataset.contract.queryOptions(ref));
  const versions = useQuery(trpc.dataset.versions.queryOptions(ref));
  if (contract.isPending || versions.isPending) return <LoadingRows rows={5} label="Loading contract" />;
  if (contract.error) return <ErrorState error={contract.error} onRetry={() => void contract.refetch()} />;
  if (versions.error) return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;
  // Keyed by revision: a newly saved contract starts a fresh editor.
  return <ContractEditor key={contract.data?.revision ?? 0} contract={contract.data} versions={versions.data} />;
}
