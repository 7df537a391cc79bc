// The generator's rules, in the order their cases are listed. A new rule is a module added here.
import type { Rule } from '../draft.ts';
import { boundaryValues } from './boundary-values.ts';
import { crossUser } from './cross-user.ts';
import { happyPath } from './happy-path.ts';
import { malformedJson } from './malformed-json.ts';
import { noCredentials } from './no-credentials.ts';
import { reflectedMarkup } from './reflected-markup.ts';
import { titledCases } from './titled.ts';
import { wrongType } from './wrong-type.ts';

export const RULES: readonly Rule[] = [
  titledCases,
  happyPath,
  malformedJson,
  wrongType,
  boundaryValues,
  noCredentials,
  crossUser,
  reflectedMarkup,
];
