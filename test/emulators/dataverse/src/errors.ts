// One factory method per documented Dataverse error; wire body `{"error":{"code","message"}}` as in
// MS docs developer/data-platform/webapi/compose-http-requests-handle-errors.md. Codes from
// developer/data-platform/reference/web-service-error-codes.md and api-limits.md.

export class DataverseError extends Error {
  readonly httpStatus: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly retryable: boolean;
  constructor(httpStatus: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.httpStatus = httpStatus;
    this.code = code;
    this.headers = headers;
    this.retryable = httpStatus === 429 || httpStatus >= 500;
  }
  body(annotations = false): { error: Record<string, string> } {
    const error: Record<string, string> = { code: this.code, message: this.message };
    if (annotations) {
      // detail annotations returned with Prefer: odata.include-annotations (compose-http-requests-handle-errors.md)
      error['@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus'] = '0';
      error['@Microsoft.PowerApps.CDS.HelpLink'] =
        `http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a${this.code.replace(/^0x/, '')}&client=platform`;
      error['@Microsoft.PowerApps.CDS.TraceText'] = `[ppc-dataverse-emulator] ${this.message}`;
      error['@Microsoft.PowerApps.CDS.InnerError.Message'] = this.message;
    }
    return { error };
  }
}

export const Errors = {
  /** 0x80040217 ObjectDoesNotExist */
  notFound: (entity: string, id: string) =>
    new DataverseError(404, '0x80040217', `${entity} With Id = ${id} Does Not Exist`),
  /** 0x80060891 key-based lookup found nothing */
  keyNotFound: (entity: string) =>
    new DataverseError(404, '0x80060891', `A record with the specified key values does not exist in ${entity} entity`),
  /** 0x8006088a unknown entity set, function or action (troubleshoot/power-platform/dataverse/web-api-client-errors) */
  segmentNotFound: (segment: string) =>
    new DataverseError(404, '0x8006088a', `Resource not found for the segment '${segment}'.`),
  /** POST to a function / GET of an action: code "" (web-api-client-errors "No HTTP resource was found") */
  noHttpResource: (url: string) =>
    new DataverseError(404, '', `No HTTP resource was found that matches the request URI '${url}'.`),
  /** 0x80040237 DuplicateRecord (412 on If-None-Match:* and on alternate-key collisions) */
  duplicate: () => new DataverseError(412, '0x80040237', 'A record with matching key values already exists.'),
  /** 0x80060882 ConcurrencyVersionMismatch */
  versionMismatch: () =>
    new DataverseError(
      412,
      '0x80060882',
      "The version of the existing record doesn't match the RowVersion property provided.",
    ),
  /** 0x8004F502 AttributePrivilegeCreateIsMissing (403): a create sets a secured column the caller may not create */
  attributePrivilegeCreateIsMissing: (entity: string, attribute: string) =>
    new DataverseError(
      403,
      '0x8004F502',
      `The user does not have create permissions to a secured field. The requested operation could not be completed. (${entity}.${attribute})`,
    ),
  /** 0x8004F507 AttributePermissionUpdateIsMissingDuringUpdate (403): an update sets a secured column */
  attributePermissionUpdateIsMissingDuringUpdate: (entity: string, attribute: string) =>
    new DataverseError(
      403,
      '0x8004F507',
      `The user doesn't have AttributePrivilegeUpdate and not granted shared access for a secured attribute during update operation (${entity}.${attribute})`,
    ),
  /** 0x80040220 PrivilegeDenied */
  privilegeDenied: (userId: string, privilege: string, otc: number) =>
    new DataverseError(
      403,
      '0x80040220',
      `Principal user (Id=${userId}, type=8) is missing ${privilege} privilege on OTC=${otc}.`,
    ),
  /** 0x80048d19 payload error */
  badPayload: (message: string) => new DataverseError(400, '0x80048d19', message),
  /**
   * A message the table does not support (activitypointer and activityparty are read-only: their reference pages
   * list only Retrieve/RetrieveMultiple). The text is the platform's as reported by users of real orgs (e.g.
   * github.com/bcolpaert/Colso.Xrm.DataTransporter/issues/28, MarkMpn/Sql4Cds/issues/540); no page documents
   * the error code, so the generic InvalidArgument code is used.
   */
  messageNotSupported: (message: string, entity: string) =>
    new DataverseError(
      400,
      '0x80040203',
      `The '${message}' method does not support entities of type '${entity}'. MessageProcessorCache returned MessageProcessor.Empty.`,
    ),
  /** 0x80040203 InvalidArgument */
  invalidArgument: (message: string) => new DataverseError(400, '0x80040203', message),
  /** 0x80044331 string too long */
  tooLong: (column: string, entity: string, max: number) =>
    new DataverseError(
      400,
      '0x80044331',
      `A validation error occurred. The length of the '${column}' attribute of the '${entity}' entity exceeded the maximum allowed length of '${max}'.`,
    ),
  /** 0x8004431a value out of range (choices, state/status pairs) */
  outOfRange: (message: string) => new DataverseError(400, '0x8004431a', message),
  /** 0x80043b1d record is read-only in its state (paid / canceled invoice) */
  readOnlyState: (entity: string) =>
    new DataverseError(
      400,
      '0x80043b1d',
      `The ${entity} cannot be updated because it is read-only in its current state.`,
    ),
  /**
   * A key predicate naming columns that are not the primary key or one of the table's alternate keys.
   * Message as documented in power-apps/developer/data-platform/use-alternate-key-reference-record
   * ("Exceptions when using alternate keys with the Web API"). The page gives no status or code: 400 and
   * 0x8006088a are the ones Dataverse answers for the other URI errors on
   * troubleshoot/power-platform/dataverse/dataverse-web-api-and-sdk/web-api-client-errors (not verified live).
   */
  invalidKey: (entity: string) =>
    new DataverseError(
      400,
      '0x8006088a',
      `The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.${entity}'. Ensure that the names and number of key properties match the declared or alternate key properties for the resource 'Microsoft.Dynamics.CRM.${entity}'.`,
    ),
  queryNotSupported: (message: string) => new DataverseError(400, '0x80060888', message),
  syntax: (message: string) => new DataverseError(400, '0x80060888', `Syntax error: ${message}`),
  /** unknown property in a query option: code 0x0 as documented (web-api-client-errors) */
  propertyNotFound: (prop: string, type: string) =>
    new DataverseError(
      400,
      '0x0',
      `Could not find a property named '${prop}' on type 'Microsoft.Dynamics.CRM.${type}'.`,
    ),
  /** unknown property in a write payload (web-api-client-errors "Invalid property … was found in entity") */
  invalidProperty: (prop: string, type: string) =>
    new DataverseError(
      400,
      '0x0',
      `An error occurred while validating input parameters: Microsoft.Crm.CrmException: Invalid property '${prop}' was found in entity 'Microsoft.Dynamics.CRM.${type}'. ---> Microsoft.OData.ODataException: Does not support untyped value in non-open type.`,
    ),
  /** `x@odata.bind` naming no navigation property (web-api-client-errors "An undeclared property") */
  undeclaredProperty: (prop: string, entitySet: string) =>
    new DataverseError(
      400,
      '0x80048d19',
      `Error identified in Payload provided by the user for Entity :'${entitySet}'  ---->  InnerException : Microsoft.OData.ODataException: An undeclared property '${prop}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
    ),
  contentIdMissing: (ref: string) =>
    new DataverseError(400, '0x80060888', `Content-ID Reference: '${ref}' does not exist in the batch context.`),
  batchTooLarge: () =>
    new DataverseError(400, '0x80048d19', 'The number of requests in the batch exceeded the limit of 1000.'),
  methodNotAllowed: (method: string) =>
    new DataverseError(405, '0x80060888', `The HTTP method '${method}' is not allowed for this resource.`),
  tooLarge: () => new DataverseError(413, '0x80040216', 'Request body is larger than the maximum allowed size.'),
  /** Plug-in / sync webhook failure (InvalidPluginExecutionException) */
  pluginFailed: (message: string) => new DataverseError(400, '0x80040265', message),
  /** 429: api-limits.md */
  tooManyRequests: (limit: number, windowSeconds: number, retryAfter: number) =>
    new DataverseError(
      429,
      '0x80072322',
      `Number of requests exceeded the limit of ${limit} over time window of ${windowSeconds} seconds.`,
      { 'Retry-After': String(retryAfter) },
    ),
  executionTime: (limitMs: number, windowSeconds: number, retryAfter: number) =>
    new DataverseError(
      429,
      '0x80072321',
      `Combined execution time of incoming requests exceeded limit of ${limitMs.toLocaleString('en-US')} milliseconds over time window of ${windowSeconds} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
      { 'Retry-After': String(retryAfter) },
    ),
  concurrency: (limit: number) =>
    new DataverseError(429, '0x80072326', `Number of concurrent requests exceeded the limit of ${limit}.`, {
      'Retry-After': '1',
    }),
  unavailable: () => new DataverseError(503, '0x80040216', 'Service Unavailable (injected fault).'),
  internal: (message: string) => new DataverseError(500, '0x80040216', message),
};

export function normalizeError(e: unknown): DataverseError {
  if (e instanceof DataverseError) return e;
  const pg = e as { code?: string; message?: string };
  if (pg?.code === '23505') return Errors.duplicate();
  if (pg?.code === '22P02') return Errors.invalidArgument(pg.message ?? 'Invalid value');
  return Errors.internal(e instanceof Error ? e.message : String(e));
}
