import Link from "next/link";

export interface Crumb {
  label: string;
  /** Absent on the page being shown and on steps that have no page of their own. */
  href?: string;
  /** Identifiers (slugs, names people typed) are set in monospace, as elsewhere in the UI. */
  mono?: boolean;
}

/**
 * The "Section / name" trail above a page's title. The last crumb is the page itself and carries
 * aria-current="page", unless `current` is false: the project header's trail stays on screen on every
 * page under the project, so its last crumb is only the current page on the project's overview.
 * `label` names the landmark; give a second trail on the same page a different one so screen readers
 * can tell them apart (and keep it clear of "Project", "Model", "Dataset", which e2e specs match as
 * substrings of navigation names).
 */
export function Breadcrumbs({ items, label = "Breadcrumb", current = true }: { items: Crumb[]; label?: string; current?: boolean }) {
  return (
    <nav aria-label={label}>
      <ol className="text-sm text-gray-500">
        {items.map((item, i) => {
          const here = current && i === items.length - 1 ? "page" : undefined;
          const mono = item.mono ? "font-mono" : undefined;
          return (
            <li key={i} className="inline">
              {i > 0 ? (
                <span aria-hidden className="mx-1.5 text-gray-300">
                  /
                </span>
              ) : null}
              {item.href ? (
                <Link href={item.href} aria-current={here} className={`${mono ?? ""} hover:text-gray-900 hover:underline`.trim()}>
                  {item.label}
                </Link>
              ) : (
                <span aria-current={here} className={mono}>
                  {item.label}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
