"use client";

import { useEffect, useState } from "react";
import { formatDate, formatDateTime, relativeTime } from "../_lib/format";

/** A date as "12 seconds ago", refreshed every few seconds, with the exact time on hover. */
export function RelativeTime({ date }: { date: Date }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date)} suppressHydrationWarning>
      {relativeTime(date, now)}
    </time>
  );
}

/** An exact date in the viewer's time zone; the server may render another zone, hence the hydration opt-out. */
export function DateTime({ date, dateOnly = false }: { date: Date; dateOnly?: boolean }) {
  return (
    <time dateTime={date.toISOString()} suppressHydrationWarning>
      {dateOnly ? formatDate(date) : formatDateTime(date)}
    </time>
  );
}
