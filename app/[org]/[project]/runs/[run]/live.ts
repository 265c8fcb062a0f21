/** While a run is RUNNING its page polls this often, so charts grow as the script logs. */
export const LIVE_MS = 2_000;
