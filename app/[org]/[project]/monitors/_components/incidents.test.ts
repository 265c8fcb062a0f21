import { describe, expect, it } from "vitest";
import { incidentOfMonitor } from "./incidents";

describe("incidents of a monitor", () => {
  it("matches the monitor's page link, relative or absolute, and no other monitor's", () => {
    expect(incidentOfMonitor({ link: "/acme/eta-prediction/monitors/eta" }, "eta")).toBe(true);
    expect(incidentOfMonitor({ link: "https://cairn.example/acme/p/monitors/eta?x=1#top" }, "eta")).toBe(true);
    expect(incidentOfMonitor({ link: "/acme/p/monitors/my%20mon" }, "my mon")).toBe(true);
    // A prefix of another monitor's name, or a deployment of the same name, is not this monitor.
    expect(incidentOfMonitor({ link: "/acme/p/monitors/eta-2" }, "eta")).toBe(false);
    expect(incidentOfMonitor({ link: "/acme/p/deployments/eta" }, "eta")).toBe(false);
    expect(incidentOfMonitor({ link: "/acme/p/monitors" }, "eta")).toBe(false);
  });
});
