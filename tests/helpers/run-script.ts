import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const TSX = path.join(process.cwd(), "node_modules", ".bin", "tsx");

/**
 * Runs a command-line script as its npm script does: tsx under the react-server condition, where
 * `import "server-only"` loads. Rejects on a non-zero exit, with code, stdout and stderr.
 */
export function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  return promisify(execFile)(TSX, ["--conditions=react-server", script, ...args], { env });
}

export type ScriptRun = { code: number; stdout: string; stderr: string };

/** runScript, answered with the exit code instead of rejecting on a failure. */
export async function runScriptToEnd(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ScriptRun> {
  try {
    const { stdout, stderr } = await runScript(script, args, env);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
