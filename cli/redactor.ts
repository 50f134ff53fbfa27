/**
 * Keeps secrets out of everything the CLI prints. Known values (the credentials in the environment
 * and every set the credential chain resolves) are replaced wherever they appear, and so is anything
 * shaped like a SigV4 signature, security token or access key id, in case a library puts one in an
 * error message.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Values shorter than this are not secrets worth hiding, and hiding them would mangle ordinary words. */
  private static readonly MIN_LENGTH = 8;

  private static readonly PATTERNS: readonly [RegExp, string][] = [
    [/(Signature=)[0-9a-f]{16,}/gi, "$1[redacted]"],
    [/(X-Amz-Signature=)[^&\s"']+/gi, "$1[redacted]"],
    [/(X-Amz-Security-Token[=:]\s*)[^&\s"']+/gi, "$1[redacted]"],
    [/(Credential=)[^/\s,"']+/g, "$1[redacted]"],
    [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, "[redacted]"],
  ];

  /** Remember secret values (absent or short ones are ignored). */
  public add(...values: readonly (string | undefined)[]): void {
    for (const value of values) if (value !== undefined && value.length >= Redactor.MIN_LENGTH) this.secrets.add(value);
  }

  public redact(text: string): string {
    let result = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      result = result.split(secret).join("[redacted]");
    }
    for (const [pattern, replacement] of Redactor.PATTERNS) result = result.replace(pattern, replacement);
    return result;
  }
}

/** Environment variables whose values are credentials. */
const SECRET_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"];

/** A redactor that already knows the credentials in `env`. */
export const redactorFor = (env: Readonly<Record<string, string | undefined>>): Redactor => {
  const redactor = new Redactor();
  redactor.add(...SECRET_VARIABLES.map((name) => env[name]));
  return redactor;
};
