/** Domain error codes; the API's one error handler maps each to an HTTP status. */
const APP_ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  text_too_long: 400,
  caption_too_long: 400,
  template_parameters_invalid: 400,
  routing_rule_invalid: 400,
  team_settings_invalid: 400,
  capacity_invalid: 400,
  absence_period_invalid: 400,
  absence_substitute_invalid: 400,
  absence_overlaps: 409,
  unauthenticated: 401,
  invalid_credentials: 401,
  visitor_token_invalid: 401,
  totp_required: 401,
  forbidden: 403,
  assignment_forbidden: 403,
  csrf_failed: 403,
  origin_not_allowed: 403,
  password_change_required: 403,
  not_found: 404,
  conflict: 409,
  opted_out: 409,
  window_closed: 409,
  consent_missing: 409,
  template_not_found: 409,
  template_not_approved: 409,
  channel_paused: 409,
  unsupported_by_channel: 409,
  consent_required: 409,
  consent_text_changed: 409,
  confirmation_required: 409,
  legal_hold: 409,
  suppressed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  account_locked: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return APP_ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
