/**
 * The network namespaces of one deployment's hosts: each made at its host's
 * first process and stopped after its last one exits, so nothing of it
 * outlives the deployment. A host whose every process was stopped (a
 * callback killed and started again on a host of its own) gets a fresh one.
 */
import type { Host } from '../hosts.ts';
import type { RunningChild } from '../process/child-process.ts';
import type { HostNetwork } from './host-network.ts';

export class HostNetworks {
  private readonly live = new Map<string, { network: HostNetwork; processes: number }>();

  constructor(private readonly open: (host: Host, ports: readonly number[]) => HostNetwork) {}

  /**
   * The host's namespace and the gate of a process about to start there,
   * which may reach the harness's `ports`; `started` counts the process in
   * until it exits, `failed` says it never ran.
   */
  enter(host: Host, ports: readonly number[]): { network: HostNetwork; gate: string; started(child: RunningChild): void; failed(): void } {
    let entry = this.live.get(host.tmp);
    let gate: string | undefined;
    if (entry?.network.isRunning) gate = entry.network.gateFor(ports);
    else {
      // One whose relay died is left to stop with its processes; its host starts over.
      entry = { network: this.open(host, ports), processes: 0 };
      this.live.set(host.tmp, entry);
      gate = entry.network.gateFor(ports);
    }
    const held = entry;
    held.processes += 1;
    const leave = () => {
      held.processes -= 1;
      if (held.processes > 0) return;
      if (this.live.get(host.tmp) === held) this.live.delete(host.tmp);
      void held.network.stop();
    };
    return { network: held.network, gate, started: (child) => void child.exited.then(leave), failed: leave };
  }

  networkOf(host: Host): HostNetwork | undefined {
    return this.live.get(host.tmp)?.network;
  }
}
