// A thin admin client for the Dataverse emulator's Web API: seeding and assertions in tests and demos.
export interface DataverseAdmin {
  get<T = Record<string, unknown>>(path: string): Promise<T>;
  list<T = Record<string, unknown>>(entitySet: string, query?: string): Promise<T[]>;
  create(entitySet: string, body: Record<string, unknown>): Promise<string>;
  patch(path: string, body: Record<string, unknown>): Promise<void>;
}

export function dataverseAdmin(apiUrl: string, token: () => Promise<string>): DataverseAdmin {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path, apiUrl), {
      method,
      headers: {
        authorization: `Bearer ${await token()}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'odata-version': '4.0',
        'odata-maxversion': '4.0',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res;
  };
  return {
    async get(path) {
      return (await (await call('GET', path)).json()) as never;
    },
    async list(entitySet, query = '') {
      return ((await (await call('GET', `${entitySet}${query ? `?${query}` : ''}`)).json()) as { value: never[] })
        .value;
    },
    async create(entitySet, body) {
      const res = await call('POST', entitySet, body);
      const id = /\(([0-9a-f-]{36})\)/.exec(res.headers.get('odata-entityid') ?? '')?.[1];
      if (!id) throw new Error(`POST ${entitySet}: no OData-EntityId`);
      return id;
    },
    async patch(path, body) {
      await call('PATCH', path, body);
    },
  };
}
