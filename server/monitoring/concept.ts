/** Which model metrics a concept report computes: the champion metrics of the task, plus any a rule of the monitor watches. */
import { db } from "../db";
import { CHAMPION_METRICS } from "../gates/policy";
import { ZRuleCondition } from "./schemas";

export async function onlineMetricNames(monitorId: string, task: "regression" | "binary"): Promise<string[]> {
  const rules = await db().alertRule.findMany({ where: { monitorId, enabled: true }, select: { condition: true } });
  const watched = rules.flatMap((r) => {
    const c = ZRuleCondition.safeParse(r.condition);
    return c.success && c.data.on === "concept" ? [c.data.metric] : [];
  });
  return [...new Set<string>([...CHAMPION_METRICS[task].slice(0, 2), ...watched])];
}
