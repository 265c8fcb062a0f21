import Link from "next/link";
import type { LabelledRun } from "./run-labels";

/** The first column stays put while wide comparisons scroll sideways. */
export const stickyCell = "sticky left-0 z-[1] bg-white";

export function RunHeaderCells({ runs, runsHref }: { runs: LabelledRun[]; runsHref: string }) {
  return (
    <>
      {runs.map(({ run, label, color }) => (
        <th key={run.id} className="max-w-[12rem] px-3 py-2 text-right font-medium">
          <Link href={`${runsHref}/${run.id}`} className="inline-flex max-w-full items-center gap-1.5 hover:underline" title={label}>
            <span aria-hidden className={`h-2 w-2 shrink-0 rounded-full bg-${color}-500`} />
            <span className="truncate">{label}</span>
          </Link>
        </th>
      ))}
    </>
  );
}
