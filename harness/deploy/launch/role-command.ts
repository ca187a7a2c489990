/**
 * What one of a target's processes runs: its own command from the target
 * file, or, for a process without one, the target's factory module through
 * the harness's launcher with the config for this process's inputs.
 */
import type { TargetDescription, TargetInputs, TargetProcess } from '../target/target-description.ts';
import { factoryLaunchCommand } from './factory-command.ts';

export interface Command {
  command: string;
  args: string[];
}

export function processCommand(target: Pick<TargetDescription, 'launch' | 'source'>, spec: TargetProcess, inputs: TargetInputs): Command {
  if (spec.command !== undefined) return { command: spec.command === 'node' ? process.execPath : spec.command, args: [...(spec.args ?? [])] };
  // The schema refuses a process without a command when there is no launch; a description built by hand could still have one.
  if (!target.launch) throw new Error(`target ${target.source.file}: the ${inputs.role} process has no command and the target gives no launch`);
  const { modulePath, exportName, config } = target.launch;
  return factoryLaunchCommand({ modulePath, exportName, config: config(inputs) }, spec.args ?? []);
}
