// The command line's option parsers and shared options: each refusal says what was expected, and each option's
// help says what applies when it is not given.
import { Help, InvalidArgumentError, Option } from 'commander';
import { parseShard, type Shard } from '../run/index.ts';

const COMMANDER_HELP = new Help();

/**
 * An option whose value stays unset unless given, so that the configuration or the environment can supply it; its
 * help says what applies then.
 */
export function unsetUnlessGiven(flags: string, description: string, whenUnset: string): Option {
  return new Option(flags, description).default(undefined, whenUnset);
}

export const BASE_OPTION = (): Option =>
  unsetUnlessGiven(
    '--base <results.json>',
    "the base branch's results: label findings new, still failing or fixed",
    'none',
  );

export const BASE_BRANCH_OPTION = (): Option =>
  unsetUnlessGiven(
    '--base-branch <name>',
    "compare with that branch's latest results in the store",
    'GITHUB_BASE_REF when set',
  );

/**
 * An option's help as commander writes it, plus what commander leaves out: that a required option is required, and
 * what applies when an option left unset (`unsetUnlessGiven`) is not given.
 */
export function describeOption(option: Option): string {
  const extra: string[] = [];
  if (option.mandatory) extra.push('required');
  if (option.defaultValue === undefined && option.defaultValueDescription) {
    extra.push(`default: ${option.defaultValueDescription}`);
  }
  const text = COMMANDER_HELP.optionDescription(option);
  return extra.length === 0 ? text : `${text} (${extra.join(', ')})`;
}

export function parseTarget(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a URL such as http://127.0.0.1:4100');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('expected an http:// or https:// URL');
  }
  return url;
}

export function shardOption(value: string): Shard {
  const shard = parseShard(value);
  if (!shard) throw new InvalidArgumentError('expected i/n with 1 <= i <= n, such as 2/3');
  return shard;
}

/** A whole number from `min` to `max`; an empty value is no number, not 0. */
function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

export const count = (max: number) => wholeNumber(0, max);
export const positiveInt = (max: number) => wholeNumber(1, max);

export function dollars(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('expected an amount of US dollars, such as 2.50');
  return n;
}
