// The generator's rules, in the order their cases are listed. A new rule is a module added here.
import type { Rule } from '../draft.ts';
import { boundaryValues } from './boundary-values.ts';
import { crossUser } from './cross-user.ts';
import { happyPath } from './happy-path.ts';
import { headerInjection } from './header-injection.ts';
import { injection } from './injection.ts';
import { lifecycle } from './lifecycle.ts';
import { loadFromAcceptance } from './load-from-acceptance.ts';
import { malformedJson } from './malformed-json.ts';
import { methodNotAllowed } from './method-not-allowed.ts';
import { noCredentials } from './no-credentials.ts';
import { pageOpens } from './page-opens.ts';
import { parameterValues } from './parameter-values.ts';
import { pathTraversal } from './path-traversal.ts';
import { reflectedMarkup } from './reflected-markup.ts';
import { relatedParameters } from './related-parameters.ts';
import { schemaValues } from './schema-values.ts';
import { titledCases } from './titled.ts';
import { wrongCredentials } from './wrong-credentials.ts';
import { wrongType } from './wrong-type.ts';

export const RULES: readonly Rule[] = [
  titledCases,
  happyPath,
  lifecycle,
  malformedJson,
  wrongType,
  boundaryValues,
  schemaValues,
  parameterValues,
  relatedParameters,
  noCredentials,
  wrongCredentials,
  crossUser,
  injection,
  pathTraversal,
  reflectedMarkup,
  headerInjection,
  methodNotAllowed,
  pageOpens,
  loadFromAcceptance,
];
