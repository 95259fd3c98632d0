/* global window, document, ReactDOM */
// Builds the ComponentFramework context a model-driven form gives a virtual control and runs the
// control's lifecycle: init → updateView (rendered with ReactDOM) → notifyOutputChanged → getOutputs.
const boot = JSON.parse(document.getElementById('boot').textContent);
const locale = boot.lcid === 1031 ? 'de-DE' : 'en-US';
const decimalSeparator = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal').value;
const groupSeparator = new Intl.NumberFormat(locale).formatToParts(12345).find((p) => p.type === 'group').value;

function entitySet(entity) {
  const set = boot.entitySets[entity];
  if (!set) throw new Error(`unknown table ${entity}`);
  return set;
}

/** Web API error bodies become the ErrorResponse-like objects the platform rejects with. */
async function call(method, path, body, extraHeaders) {
  const response = await fetch(`/api/data/v9.2/${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${boot.token}`,
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      Prefer: 'odata.include-annotations="*"',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...extraHeaders,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    const payload = await response.json().catch(() => ({}));
    const error = new Error(payload.error?.message || `HTTP ${response.status}`);
    error.errorCode = response.status;
    error.code = payload.error?.code;
    throw error;
  }
  return response.status === 204 ? null : response.json();
}

const query = (options) => (options ? (options.startsWith('?') ? options : `?${options}`) : '');

const webAPI = {
  retrieveRecord: (entity, id, options) => call('GET', `${entitySet(entity)}(${id})${query(options)}`),
  retrieveMultipleRecords: async (entity, options, maxPageSize) => {
    const result = await call(
      'GET',
      `${entitySet(entity)}${query(options)}`,
      undefined,
      maxPageSize ? { Prefer: `odata.include-annotations="*",odata.maxpagesize=${maxPageSize}` } : {},
    );
    return { entities: result.value, nextLink: result['@odata.nextLink'] };
  },
  createRecord: async (entity, data) => {
    const row = await call('POST', entitySet(entity), data, { Prefer: 'return=representation' });
    return { id: row[`${entity}id`], name: '', entityType: entity };
  },
  updateRecord: async (entity, id, data) => {
    await call('PATCH', `${entitySet(entity)}(${id})`, data, { 'If-Match': '*' });
    return { id, name: '', entityType: entity };
  },
  deleteRecord: async (entity, id) => {
    await call('DELETE', `${entitySet(entity)}(${id})`);
    return { id, name: '', entityType: entity };
  },
};

const number = (value, digits) =>
  new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);

// The user's currency pattern (.NET NumberFormatInfo CurrencyPositivePattern/NegativePattern, as Dynamics applies
// it in formatCurrency): en-US "$n" / "-$n", de-DE "n $" / "-n $", with the symbol the control passes.
const CURRENCY_PATTERN = locale === 'de-DE' ? { positive: 3, negative: 8 } : { positive: 0, negative: 1 };
function currency(value, precision = 2, symbol = '') {
  const n = number(Math.abs(value), precision);
  const positive = CURRENCY_PATTERN.positive === 3 ? `${n}\u00a0${symbol}` : `${symbol}${n}`;
  return (value < 0 ? `-${positive}` : positive).trim();
}

const formatting = {
  formatDecimal: (value, precision = 2) => number(value, precision),
  formatInteger: (value) => number(value, 0),
  formatCurrency: currency,
  formatDateYearMonth: (value) => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long' }).format(value),
  formatDateShort: (value, includeTime) =>
    new Intl.DateTimeFormat(
      locale,
      includeTime ? { dateStyle: 'short', timeStyle: 'short' } : { dateStyle: 'short' },
    ).format(value),
  formatDateLong: (value) => new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(value),
  formatTime: (value) => new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(value),
};

function hasEntityPrivilege(entity, privilegeType) {
  return boot.privileges.all || (boot.privileges.tables[entity] || []).includes(privilegeType);
}

function property(raw) {
  return {
    raw,
    formatted: raw == null ? '' : String(raw),
    error: false,
    errorMessage: '',
    security: { editable: true, readable: true, secured: false },
    attributes: {},
  };
}

let control;
let context;
const container = document.getElementById('control');

function render() {
  ReactDOM.render(control.updateView(context), container);
}

context = {
  parameters: {
    boundField: property(boot.recordName),
    itemLimit: property(null),
    baseCurrency: property(null),
    // the harness runs against the emulators, which stand in for PayPal's sandbox
    paypalEnvironment: property('sandbox'),
  },
  updatedProperties: [],
  mode: {
    isControlDisabled: false,
    isVisible: true,
    label: boot.control,
    contextInfo: { entityId: boot.id, entityTypeName: boot.entity, entityRecordName: boot.recordName },
    setControlState: () => true,
    setFullScreen: () => undefined,
    trackContainerResize: () => undefined,
  },
  client: { getClient: () => 'Web', getFormFactor: () => 1, isOffline: () => false, disableScroll: false },
  resources: { getString: (key) => boot.strings[key] ?? '', getResource: () => undefined },
  formatting,
  userSettings: {
    userId: `{${boot.user.systemuserid.toUpperCase()}}`,
    userName: boot.user.fullname,
    languageId: boot.lcid,
    isRTL: false,
    securityRoles: [],
    numberFormattingInfo: {
      numberDecimalSeparator: decimalSeparator,
      numberGroupSeparator: groupSeparator,
      currencyDecimalDigits: 2,
      currencyPositivePattern: CURRENCY_PATTERN.positive,
      currencyNegativePattern: CURRENCY_PATTERN.negative,
      // .NET: en-US "n%" (1), de-DE "n %" (0)
      percentPositivePattern: locale === 'de-DE' ? 0 : 1,
      percentSymbol: '%',
    },
  },
  utils: {
    hasEntityPrivilege,
    getEntityMetadata: () => Promise.reject(new Error('getEntityMetadata is not emulated')),
    lookupObjects: () => Promise.resolve([]),
  },
  webAPI,
  navigation: {
    openAlertDialog: (strings) => Promise.resolve(window.alert(strings.text)),
    openForm: (options) => {
      window.location.href = `/form?control=${boot.control}&entity=${options.entityName}&id=${options.entityId}&user=${boot.user.key}`;
      return Promise.resolve({ savedEntityReference: [] });
    },
    openUrl: (url) => window.open(url),
  },
  device: {},
  factory: { requestRender: () => render() },
  events: {},
};

const Ctor = window.__pcfControls[`PPC.${boot.control}`];
if (!Ctor) {
  container.textContent = `control PPC.${boot.control} did not register`;
} else {
  control = new Ctor();
  control.init(
    context,
    () => {
      document.getElementById('outputs').textContent = JSON.stringify(control.getOutputs ? control.getOutputs() : {});
      context.updatedProperties = [];
      render();
    },
    {},
  );
  render();
}

document.getElementById('user-switch').addEventListener('change', (event) => {
  const url = new URL(window.location.href);
  url.searchParams.set('user', event.target.value);
  window.location.href = url.toString();
});
