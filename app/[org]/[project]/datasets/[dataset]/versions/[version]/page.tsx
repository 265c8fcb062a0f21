import type { Metadata } from "next";
import { VersionPage } from "./version-page";

export const metadata: Metadata = { title: "Dataset version" };

type Props = { params: Promise<{ version: string }> };

export default async function Page({ params }: Props) {
  const { version } = await params;
  return <VersionPage versionId={version} />;
}
