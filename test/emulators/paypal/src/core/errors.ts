// PayPal REST error body: {name, message, debug_id, details[], links}
// (https://developer.paypal.com/api/rest/responses/). Messages are the exact enum values of the specs'
// error_4xx/5xx schemas. OAuth token errors use the OAuth shape {error, error_description} instead.
import { issueText } from './issues.ts';
export interface ErrorDetail {
  field?: string;
  value?: string;
  location?: 'body' | 'path' | 'query' | 'header';
  issue: string;
  description?: string;
}

export class PayPalError extends Error {
  readonly httpStatus: number;
  readonly errorName: string;
  readonly details: ErrorDetail[];
  readonly retryable: boolean;
  readonly headers: Record<string, string>;
  /** OAuth-style body instead of the REST error body. */
  readonly oauth: boolean;
  /** Payouts' error body: `information_link` instead of `details`/`links`. */
  readonly informationLink: string | undefined;
  /** HATEOAS links of the error itself (Payouts' duplicate sender_batch_id links the original payout) */
  readonly links: { href: string; rel: string; method: string }[];

  constructor(
    httpStatus: number,
    name: string,
    message: string,
    details: ErrorDetail[] = [],
    extra: {
      headers?: Record<string, string>;
      oauth?: boolean;
      informationLink?: string;
      links?: { href: string; rel: string; method: string }[];
    } = {},
  ) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorName = name;
    this.details = details;
    this.retryable = httpStatus === 429 || httpStatus >= 500;
    this.headers = extra.headers ?? {};
    this.oauth = extra.oauth ?? false;
    this.informationLink = extra.informationLink;
    this.links = extra.links ?? [];
  }

  body(debugId: string, path = '', docsBase = 'https://developer.paypal.com/docs/api/'): Record<string, unknown> {
    if (this.oauth) return { error: this.errorName, error_description: this.message };
    if (this.informationLink)
      return { name: this.errorName, message: this.message, debug_id: debugId, information_link: this.informationLink };
    const issue = this.details[0]?.issue;
    const body: Record<string, unknown> = { name: this.errorName, message: this.message, debug_id: debugId };
    if (this.details.length) {
      body.details = this.details.map((d) => {
        const description = issueText(d.issue, path, d.description);
        return { ...d, ...(description ? { description } : {}) };
      });
    }
    body.links = [
      ...(issue ? [{ href: `${docsBase}v2/#error-${issue}`, rel: 'information_link', method: 'GET' }] : []),
      ...this.links,
    ];
    return body;
  }
}

const MSG = {
  400: 'Request is not well-formed, syntactically incorrect, or violates schema.',
  401: 'Authentication failed due to missing authorization header, or invalid authentication credentials.',
  403: 'Authorization failed due to insufficient permissions.',
  404: 'The specified resource does not exist.',
  409: 'The server has detected a conflict while processing this request.',
  415: "The server does not support the request payload's media type.",
  422: 'The requested action could not be performed, semantically incorrect, or failed business validation.',
  500: 'An internal server error occurred.',
  503: 'Service Unavailable.',
};

/** One factory per documented error name. */
export const errors = {
  invalidRequest: (details: ErrorDetail[] = []) => new PayPalError(400, 'INVALID_REQUEST', MSG[400], details),
  missingField: (field: string, location: ErrorDetail['location'] = 'body') =>
    errors.invalidRequest([
      { field, location, issue: 'MISSING_REQUIRED_PARAMETER', description: 'A required field / parameter is missing.' },
    ]),
  invalidField: (
    field: string,
    value: unknown,
    location: ErrorDetail['location'] = 'body',
    issue = 'INVALID_PARAMETER_VALUE',
    description = 'The value of a field is invalid.',
  ) =>
    errors.invalidRequest([
      { field, value: value === undefined ? undefined : String(value), location, issue, description },
    ]),
  malformedJson: () =>
    errors.invalidRequest([
      { issue: 'MALFORMED_REQUEST_JSON', description: 'The request JSON is not well formed.', location: 'body' },
    ]),
  // PayPal answers an invalid or expired token with no details.
  authenticationFailure: () => new PayPalError(401, 'AUTHENTICATION_FAILURE', MSG[401]),
  notAuthorized: (issue = 'PERMISSION_DENIED') =>
    new PayPalError(403, 'NOT_AUTHORIZED', MSG[403], [
      { issue, description: 'You do not have permission to access or perform operations on this resource.' },
    ]),
  notFound: (field: string, value: string) =>
    new PayPalError(404, 'RESOURCE_NOT_FOUND', MSG[404], [
      {
        field,
        value,
        location: 'path',
        issue: 'INVALID_RESOURCE_ID',
        description: 'Specified resource ID does not exist. Please check the resource ID and try again.',
      },
    ]),
  routeNotFound: () =>
    new PayPalError(404, 'RESOURCE_NOT_FOUND', MSG[404], [
      { issue: 'INVALID_URI', description: 'The requested URI does not exist.' },
    ]),
  conflict: (issue: string, description: string) =>
    new PayPalError(409, 'RESOURCE_CONFLICT', MSG[409], [{ issue, description }]),
  // Exact description from payments_payment_v2.json components.schemas.409.
  inProgress: () =>
    errors.conflict(
      'PREVIOUS_REQUEST_IN_PROGRESS',
      'A previous request on this resource is currently in progress. Please wait for sometime and try again. It is best to space out the initial and the subsequent request(s) to avoid receiving this error.',
    ),
  unsupportedMediaType: () =>
    new PayPalError(415, 'UNSUPPORTED_MEDIA_TYPE', MSG[415], [
      { issue: 'UNSUPPORTED_MEDIA_TYPE', description: 'The Content-Type must be application/json.' },
    ]),
  unprocessable: (issue: string, description: string, field?: string, value?: string) =>
    new PayPalError(422, 'UNPROCESSABLE_ENTITY', MSG[422], [
      {
        ...(field ? { field, location: 'body' as const } : {}),
        ...(value !== undefined ? { value } : {}),
        issue,
        description,
      },
    ]),
  rateLimited: (retryAfterSeconds: number) =>
    new PayPalError(429, 'RATE_LIMIT_REACHED', 'Too many requests. Blocked due to rate limiting.', [], {
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
  internal: () => new PayPalError(500, 'INTERNAL_SERVER_ERROR', MSG[500]),
  unavailable: () => new PayPalError(503, 'SERVICE_UNAVAILABLE', MSG[503]),
  forStatus: (status: number, retryAfter?: number): PayPalError => {
    if (status === 429) return errors.rateLimited(retryAfter ?? 1);
    if (status === 503) return errors.unavailable();
    if (status >= 500) return new PayPalError(status, 'INTERNAL_SERVER_ERROR', MSG[500]);
    if (status === 409) return errors.inProgress();
    if (status === 400) return errors.invalidRequest();
    if (status === 401) return errors.authenticationFailure();
    if (status === 403) return errors.notAuthorized();
    if (status === 404) return errors.routeNotFound();
    return new PayPalError(status, 'UNPROCESSABLE_ENTITY', MSG[422]);
  },
  // OAuth 2.0 token endpoint errors (RFC 6749 §5.2 shape, as PayPal answers).
  oauthInvalidClient: () => new PayPalError(401, 'invalid_client', 'Client Authentication failed', [], { oauth: true }),
  oauthUnsupportedGrant: (grant: string) =>
    new PayPalError(400, 'unsupported_grant_type', `Grant Type is NULL or ${grant} is not supported`, [], {
      oauth: true,
    }),
};
