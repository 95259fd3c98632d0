// Mapping rules that admins edit in Dataverse, not constants in code: currencies, price lists, the unit,
// the GL account map (ppc_glaccountmap), booking FX rates (ppc_fxrate), the ppc_* environment variables and
// the PayPal status map among them (ppc_StatusMap).
// Read once and cached for a short time; concurrent jobs share one load.
import type { DataversePort } from '../adapters/dataverse/types.ts';
import { isoDateTime } from '../mapping/dataverse-values.ts';
import type { ReferenceData } from '../mapping/order-to-cash-plan.ts';
import { parseStatusMap, type StatusMapResult } from '../mapping/status-map.ts';
import { EnvVar } from '@ppc/solution';

/** Reference data plus the raw ppc_* environment variables and the parsed status map (ppc_StatusMap). */
export type LoadedReferenceData = ReferenceData & { envVars: Record<string, string>; statusMap: StatusMapResult };

export interface ReferenceDataSource {
  get(): Promise<LoadedReferenceData>;
  invalidate(): void;
}

interface FxRow {
  ppc_fromcurrency: string;
  ppc_tocurrency: string;
  ppc_ratedate: string | Date;
  ppc_rate: number | string;
}

export function dataverseReferenceData(
  dv: DataversePort,
  options: { ttlMs?: number; now?: () => number } = {},
): ReferenceDataSource {
  const ttl = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  let cached: { at: number; value: Promise<LoadedReferenceData> } | undefined;

  async function load(): Promise<LoadedReferenceData> {
    const [currencies, priceLevels, uoms, glMap, fxRows, envDefs] = await Promise.all([
      dv.query<{ transactioncurrencyid: string; isocurrencycode: string; exchangerate?: number }>(
        'transactioncurrencies',
        '$select=transactioncurrencyid,isocurrencycode,exchangerate',
      ),
      dv.query<{ pricelevelid: string; _transactioncurrencyid_value?: string; name: string }>(
        'pricelevels',
        '$select=pricelevelid,name,_transactioncurrencyid_value&$filter=statecode eq 0&$orderby=name',
      ),
      dv.query<{ uomid: string }>('uoms', '$select=uomid,name&$filter=isschedulebaseuom eq true&$top=1', 1),
      dv.query<{ ppc_purpose: number; ppc_currencycode: string; ppc_accountcode: string }>(
        'ppc_glaccountmaps',
        '$select=ppc_purpose,ppc_currencycode,ppc_accountcode&$filter=statecode eq 0',
      ),
      dv.query<FxRow>(
        'ppc_fxrates',
        '$select=ppc_fromcurrency,ppc_tocurrency,ppc_ratedate,ppc_rate&$filter=statecode eq 0&$orderby=ppc_ratedate desc',
        5000,
      ),
      dv.query<{
        schemaname: string;
        defaultvalue?: string;
        environmentvariabledefinition_environmentvariablevalue?: { value?: string }[];
      }>(
        'environmentvariabledefinitions',
        "$select=schemaname,defaultvalue&$filter=startswith(schemaname,'ppc_')&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)",
      ),
    ]);
    const envVars: Record<string, string> = {};
    for (const d of envDefs) {
      const value = d.environmentvariabledefinition_environmentvariablevalue?.[0]?.value ?? d.defaultvalue;
      if (value !== undefined && value !== null && value !== '') envVars[d.schemaname] = String(value);
    }
    const iso = new Map(currencies.map((c) => [c.isocurrencycode.toUpperCase(), c.transactioncurrencyid]));
    const orgBase = currencies.find((c) => Number(c.exchangerate) === 1)?.isocurrencycode;
    const baseCurrency = (envVars.ppc_BaseCurrency ?? orgBase ?? 'USD').toUpperCase();
    const gl = new Map(glMap.map((g) => [`${g.ppc_purpose}:${g.ppc_currencycode.toUpperCase()}`, g.ppc_accountcode]));
    const fx = fxRows.map((r) => ({
      from: r.ppc_fromcurrency.toUpperCase(),
      to: r.ppc_tocurrency.toUpperCase(),
      date: (isoDateTime(r.ppc_ratedate) ?? '').slice(0, 10),
      rate: String(r.ppc_rate),
    }));
    return {
      envVars,
      // validated here, applied by the flows that write statuses (requireStatusMap)
      statusMap: parseStatusMap(envVars[EnvVar.StatusMap]),
      baseCurrency,
      currencyId: (code: string) => iso.get(code.toUpperCase()),
      priceLevelId: (currencyId: string) =>
        priceLevels.find((p) => p._transactioncurrencyid_value === currencyId)?.pricelevelid,
      defaultUomId: uoms[0]?.uomid,
      fallbackProductNumber: envVars.ppc_FallbackProductNumber,
      account: (purpose: number, currency: string) =>
        gl.get(`${purpose}:${currency.toUpperCase()}`) ?? gl.get(`${purpose}:XXX`),
      // The latest rate on or before the date; an inverse rate counts too.
      fxRate(from: string, to: string, date: string) {
        const direct = fx.find((r) => r.from === from && r.to === to && r.date <= date);
        if (direct) return direct.rate;
        const inverse = fx.find((r) => r.from === to && r.to === from && r.date <= date && Number(r.rate) > 0);
        return inverse ? (1 / Number(inverse.rate)).toFixed(10) : undefined;
      },
    };
  }

  return {
    get() {
      if (!cached || now() - cached.at > ttl) {
        const value = load();
        cached = { at: now(), value };
        value.catch(() => (cached = undefined));
      }
      return cached.value;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
