import { Rng } from "../random";

const WEATHER = ["clear", "clear", "clear", "cloudy", "rain", "rain", "snow", "fog"];
const VEHICLES = ["bike", "scooter", "car", "van"];
const REGIONS = ["north", "south", "east", "west", "central"];
const SPEED: Record<string, number> = { bike: 16, scooter: 24, car: 32, van: 28 };
const WEATHER_FACTOR: Record<string, number> = { clear: 1, cloudy: 1.05, rain: 1.25, snow: 1.6, fog: 1.3 };
const REGION_DELAY: Record<string, number> = { north: 2, south: 4, east: 3, west: 1, central: 6 };

export const DELIVERY_COLUMNS = [
  "delivery_id",
  "distance_km",
  "traffic_index",
  "weather",
  "hour",
  "weekday",
  "vehicle_type",
  "region",
  "driver_experience_years",
  "minutes",
] as const;

/** Box–Muller: a standard normal draw from two uniforms. */
function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.nextInt(xs.length)]!;

/**
 * The demo's synthetic delivery times: the same rows for the same seed. Minutes grow with distance
 * over a vehicle's speed, slowed by traffic (worse at rush hours), weather and busy regions, and
 * shortened by driver experience — a nonlinear target that trees learn well and lines do not.
 * `drift` shifts traffic and weather for a "later" version of the data.
 */
export function deliveryRows(count: number, seed = 2026, drift = 0): string[][] {
  const rng = new Rng(seed);
  const rows: string[][] = [];
  for (let i = 0; i < count; i++) {
    const distance = Math.max(0.3, Math.exp(1.2 + 0.7 * normal(rng)));
    const hour = rng.nextInt(24);
    const weekday = rng.nextInt(7);
    const rush = (hour >= 7 && hour <= 9) || (hour >= 16 && hour <= 19) ? 1 : 0;
    const traffic = Math.min(10, Math.max(0, 3 + 3 * rush + (weekday >= 5 ? -1 : 0) + 1.5 * normal(rng) + drift * 2));
    const weather = drift > 0 && rng.next() < drift * 0.4 ? "rain" : pick(rng, WEATHER);
    const vehicle = pick(rng, VEHICLES);
    const region = pick(rng, REGIONS);
    const experience = Math.max(0, Math.min(30, 4 + 4 * normal(rng)));
    const travel = (distance / SPEED[vehicle]!) * 60 * (1 + traffic / 8) * WEATHER_FACTOR[weather]!;
    const minutes = Math.max(3, 5 + travel + REGION_DELAY[region]! - 0.25 * experience + (distance > 10 && vehicle === "bike" ? 8 : 0) + 2.5 * normal(rng));
    rows.push([
      String(100_000 + i),
      distance.toFixed(2),
      traffic.toFixed(2),
      weather,
      String(hour),
      String(weekday),
      vehicle,
      region,
      experience.toFixed(1),
      minutes.toFixed(1),
    ]);
  }
  return rows;
}

/** The rows as CSV text with a header. */
export function deliveriesCsv(count: number, seed = 2026, drift = 0): string {
  return [DELIVERY_COLUMNS.join(","), ...deliveryRows(count, seed, drift).map((r) => r.join(","))].join("\n") + "\n";
}
