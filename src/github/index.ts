// GitHub adapters: each publishes one part of a run's results (the sticky PR comment, the check run, its
// annotations) through an Octokit instance the caller brings, so the actions and a Probot app share them.
export {
  upsertStickyComment,
  stickyBody,
  STICKY_MARKER,
  COMMENT_BODY_LIMIT,
  ACTIONS_BOT,
} from './sticky-comment.ts';
export type { StickyCommentClient, StickyCommentInput, StickyCommentResult } from './sticky-comment.ts';
export {
  publishCheckRun,
  CONCLUSION_OF_VERDICT,
  RERUN_ACTION,
  ANNOTATIONS_PER_REQUEST,
  CHECK_RUN_EXTERNAL_ID,
  CHECK_TITLE_LIMIT,
  CHECK_TEXT_LIMIT,
} from './check-run.ts';
export type { CheckAction, CheckRunClient, CheckRunInput, CheckRunResult, Verdict } from './check-run.ts';
export {
  annotationsFor,
  repositoryPath,
  LEVEL_OF_RISK,
  ANNOTATION_TITLE_LIMIT,
  ANNOTATION_TEXT_BYTES,
} from './annotations.ts';
export type { AnnotationLevel, AnnotationOptions, Annotations, CheckAnnotation } from './annotations.ts';
export { fitMarkdown, fitPlain } from './fit-text.ts';
export {
  downloadResults,
  ArtifactError,
  ARTIFACT_LIMITS,
  RESULTS_ARTIFACT,
  RESULTS_ENTRY,
} from './artifacts.ts';
export type { ArtifactClient, DownloadResultsOptions, DownloadedResults } from './artifacts.ts';
