import type { WorkstationConfig } from '../../shared/config/workstation-config.ts';
import type { ConfigFollower } from './follow-service.ts';

/**
 * Check the followed file whenever its interval has passed (`pochub serve`). The subscription is
 * read from the store on every tick, so a `pochub config follow` or `unfollow` run beside a running
 * hub takes effect without a restart. Returns the stop function.
 */
export function startFollowing(
  follower: ConfigFollower,
  opts: { tickMs: number; log: (line: string) => void; onApplied?: (config: WorkstationConfig) => void; reportBug: (where: string, e: unknown) => void },
): () => void {
  let busy = false;
  const tick = async (): Promise<void> => {
    if (busy || !follower.due()) return;
    busy = true;
    try {
      const result = await follower.checkNow();
      if (result.outcome !== 'unchanged') opts.log(`pochub: central configuration ${result.outcome}: ${result.message}`);
      if (result.config !== undefined) opts.onApplied?.(result.config);
    } catch (e) {
      opts.reportBug('config follow', e);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.tickMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
