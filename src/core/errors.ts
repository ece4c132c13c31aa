/**
 * The errors the explorer throws, and its error policy:
 *
 * - **Bad input is refused with an `ExplorerError`**, in core, the kernel and the extension
 *   alike: a model, sequence, option, file or payload the explorer cannot use. Its message
 *   says what was wrong and what is expected, so it is shown to the user as it is.
 * - The protocol imports nothing outside its folder, so a payload it cannot decode is
 *   refused with its own `PayloadError`, under the same rule for the message.
 * - **Anything else is a bug** and is thrown as a plain `Error`, with its stack.
 * - Where a caught value becomes text for the user, `errorMessage` takes it out.
 */

/**
 * The error the explorer throws for bad input. Its message always says what was wrong and
 * what is expected, so it can be shown to the user as it is.
 *
 * It carries no stack trace: it is the user's input being refused, not a bug, and tslab
 * prints a failed cell's error with its stack, which would point into this library's
 * files. Other errors keep theirs.
 */
export class ExplorerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplorerError';
    Object.defineProperty(this, 'stack', {
      value: `${this.name}: ${message}`,
      writable: true,
      configurable: true
    });
  }
}

/**
 * Formats a short, readable list of names for error messages, e.g. `"a", "b", "c"`, or
 * `"a", "b" and 3 more` past the limit.
 *
 * @param names - the names to list
 * @param limit - how many to show before summarising the rest as "and N more"
 * @returns the list as one string
 */
export function listNames(names: readonly string[], limit = 12): string {
  if (names.length === 0) {
    return '(none)';
  }
  const quoted = names.slice(0, limit).map(n => JSON.stringify(n));
  const rest = names.length - quoted.length;
  return rest > 0 ? `${quoted.join(', ')} and ${rest} more` : quoted.join(', ');
}

/**
 * The message of anything thrown: an Error's message, or the thing itself as text (some
 * libraries throw bare strings).
 *
 * @param e - what was thrown
 * @returns its message
 */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
