/**
 * A time bound for the SQL parameter `param` holding a Date, compared with a "timestamp without time
 * zone" column written in UTC (Prisma's DateTime): pg sends a Date in the process's zone with its
 * offset, which a comparison with a zoneless column would drop, so the bound goes through timestamptz.
 */
export const utcBound = (param: string) => `(${param}::timestamptz AT TIME ZONE 'UTC')`;
