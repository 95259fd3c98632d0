// Pure $batch building and parsing (execute-batch-operations-using-web-api.md wire format).
import { describe, expect, it } from '@jest/globals';
import {
  assignContentIds,
  buildChangeSet,
  parseBatchResponse,
  toResult,
} from '../../../src/adapters/dataverse/change-set.ts';
import { dataverseError, fromThrown } from '../../../src/adapters/dataverse/dataverse-errors.ts';

describe('change set body', () => {
  it('numbers operations after the caller’s own Content-IDs and rejects duplicates', () => {
    expect(
      assignContentIds([
        { method: 'POST', url: 'a', contentId: '2' },
        { method: 'POST', url: 'b' },
        { method: 'PATCH', url: '$2' },
      ]),
    ).toEqual(['2', '3', '4']);
    expect(() =>
      assignContentIds([
        { method: 'POST', url: 'a', contentId: '1' },
        { method: 'POST', url: 'b', contentId: '1' },
      ]),
    ).toThrow(/duplicate/);
  });

  it('writes one change set with absolute URLs, kept $n references, conditional headers and JSON bodies', () => {
    let n = 0;
    const built = buildChangeSet(
      'https://org.crm.dynamics.com/',
      [
        {
          method: 'PATCH',
          url: "contacts(ppc_paypalpayerid='A')",
          body: { lastname: 'L' },
          contentId: '1',
          ifNoneMatch: '*',
        },
        { method: 'DELETE', url: '$1', ifMatch: 'W/"7"' },
      ],
      () => `id${++n}`,
    );
    expect(built.contentType).toBe('multipart/mixed; boundary=batch_id1');
    expect(built.body.split('\r\n')).toEqual([
      '--batch_id1',
      'Content-Type: multipart/mixed; boundary=changeset_id2',
      '',
      '--changeset_id2',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      "PATCH https://org.crm.dynamics.com/api/data/v9.2/contacts(ppc_paypalpayerid='A') HTTP/1.1",
      'If-None-Match: *',
      'Content-Type: application/json; type=entry',
      '',
      '{"lastname":"L"}',
      '--changeset_id2',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 2',
      '',
      'DELETE $1 HTTP/1.1',
      'If-Match: W/"7"',
      '',
      '--changeset_id2--',
      '--batch_id1--',
      '',
    ]);
  });
});

describe('batch response', () => {
  it('flattens change-set responses (LF or CRLF) and reads OData-EntityId and ETag', () => {
    const body = [
      '--batchresponse_x',
      'Content-Type: multipart/mixed; boundary=changesetresponse_y',
      '',
      '--changesetresponse_y',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'HTTP/1.1 204 No Content',
      'OData-EntityId: https://org/api/data/v9.2/contacts(00000000-0000-0000-0000-000000000001)',
      'ETag: W/"12"',
      '',
      '',
      '--changesetresponse_y',
      'Content-Type: application/http',
      'Content-ID: 2',
      '',
      'HTTP/1.1 204 No Content',
      "OData-EntityId: https://org/api/data/v9.2/contacts(ppc_paypalpayerid='A')",
      '',
      '',
      '--changesetresponse_y--',
      '--batchresponse_x--',
      '',
    ].join('\n');
    const parts = parseBatchResponse('multipart/mixed; boundary=batchresponse_x', body);
    expect(parts.map((p) => [p.contentId, p.status])).toEqual([
      ['1', 204],
      ['2', 204],
    ]);
    expect(toResult(parts[0] as never)).toEqual({
      status: 204,
      entityId: '00000000-0000-0000-0000-000000000001',
      entityUrl: 'https://org/api/data/v9.2/contacts(00000000-0000-0000-0000-000000000001)',
      etag: 'W/"12"',
    });
    expect(toResult(parts[1] as never).entityId).toBe("ppc_paypalpayerid='A'");
  });

  it('reads a single error part with its body', () => {
    const body =
      '--batchresponse_z\r\nContent-Type: application/http\r\nContent-ID: 3\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{"error":{"code":"0x80044331","message":"too long"}}\r\n--batchresponse_z--\r\n';
    const [part] = parseBatchResponse('multipart/mixed; boundary="batchresponse_z"', body);
    expect(part).toMatchObject({
      contentId: '3',
      status: 400,
      body: '{"error":{"code":"0x80044331","message":"too long"}}',
    });
  });
});

describe('errors', () => {
  it('maps status and Dataverse code to AppError', () => {
    expect(dataverseError(429, { code: '0x80072321', message: 'time' }, { 'Retry-After': '7' })).toMatchObject({
      code: 'dataverse_throttled',
      retryable: true,
      retryAfterMs: 7000,
      details: { dataverseCode: '0x80072321' },
    });
    expect(dataverseError(503, {})).toMatchObject({ code: 'dataverse_unavailable', retryable: true });
    expect(dataverseError(403, { code: '0x80040220', message: 'no privilege' })).toMatchObject({
      code: 'dataverse_403',
      retryable: false,
      httpStatus: 403,
      details: { dataverseCode: '0x80040220' },
    });
    expect(fromThrown(new TypeError('fetch failed'))).toMatchObject({ code: 'dataverse_unreachable', retryable: true });
    expect(fromThrown({ status: 412, code: '0x80060882', message: 'version', headers: {} })).toMatchObject({
      code: 'dataverse_412',
      failure: 'conflict',
      retryable: true,
    });
  });
});
