import type { Metadata } from "next";
import { ContractPage } from "./contract-page";

export const metadata: Metadata = { title: "Data contract" };

export default function Page() {
  return <ContractPage />;
}
