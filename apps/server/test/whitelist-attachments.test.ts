import { createHash } from 'node:crypto';
import {
  computeUsccCheckChar,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_APPLICATION,
} from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import type { Response as LightMyRequestResponse } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardCriteria } from '../src/modules/whitelist';
import { rows as dbRows } from '../src/platform/db';
import { buildEnterprise, buildUser, createTestApp, login, type TestApp } from './app';
import { CONTENT_TYPES, minimalXlsxEntries, writeZip } from './files-fixtures';

let t: TestApp;
const cookies = new Map<string, string>();
let applicationId: string;
let otherApplicationId: string;

function uscc(seq: number, region = '410105') {
  const first17 = `91${region}${String(seq).padStart(9, '0')}`;
  return first17 + computeUsccCheckChar(first17);
}

const GOOD_ANSWERS = {
  closedLoopMode: 'bubble',
  dormitoryBeds: 100,
  canteen: true,
  taskForce: true,
  taskForceLeader: '王副总经理',
  stockpileDays: 21,
  observationRooms: 2,
  samplingArrangement: 'local_network',
  emergencyPlan: true,
} as const;

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000IHDRnot-really-an-image'),
]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF body')]);
const XLSX = writeZip(
  minimalXlsxEntries({ sheetXml: '<row r="1"><c r="A1" t="inlineStr"><is><t>物资</t></is></c></row>' }),
);
const DOCX = writeZip([
  { name: '[Content_Types].xml', content: CONTENT_TYPES },
  { name: 'word/document.xml', content: '<w:document xmlns:w="urn:w"><w:body/></w:document>' },
]);

/**
 * Storing 10 MiB keeps an in-process PGlite busy for a moment; the load-shedding hook may then answer 503
 * OVERLOADED with Retry-After, and a client tries again. So do these helpers (a few times, briefly).
 */
async function patiently(send: () => Promise<LightMyRequestResponse>) {
  for (let attempt = 0; ; attempt++) {
    const res = await send();
    if (res.statusCode !== 503 || attempt === 10) return res;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function as(who: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) {
  return patiently(() =>
    t.app.inject({
      method,
      url,
      headers: { cookie: cookies.get(who)! },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    }),
  );
}

function upload(who: string, id: string, content: Buffer, name: string, type = 'application/octet-stream') {
  return patiently(() =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/whitelist/applications/${id}/attachments`,
      headers: { cookie: cookies.get(who)!, 'content-type': type, 'x-file-name': encodeURIComponent(name) },
      payload: content,
    }),
  );
}

const fileUrl = (appId: string, fileId: string) =>
  `/api/v1/whitelist/applications/${appId}/attachments/${fileId}`;

beforeAll(async () => {
  t = await createTestApp();
  const user = async (name: string, spec: Parameters<typeof buildUser>[1]) => {
    const u = await buildUser(t.db, spec);
    cookies.set(name, await login(t.app, u.username, u.password));
  };
  const department = (regionCode: string, tier: 'province' | 'city' | 'county', sectors: string[]) => ({
    role: 'sector_department' as const,
    kind: 'sector_department' as const,
    regionCode,
    tier,
    sectors: sectors as ['industry'],
  });
  await user('province', department('410000', 'province', ['industry']));
  await user('jinshui', department('410105', 'county', ['industry']));
  await user('erqi', department('410103', 'county', ['industry']));
  await user('jinshuiCommerce', department('410105', 'county', ['commerce']));
  await user('command', { role: 'command_office', regionCode: '410100', tier: 'city' });
  const mine = await buildEnterprise(t.db, {
    uscc: uscc(11),
    name: '金水材料有限公司',
    regionCode: '410105',
    sectors: ['industry'],
    annualValueFen: 3_000_000_000,
  });
  const theirs = await buildEnterprise(t.db, {
    uscc: uscc(12),
    name: '金水电子有限公司',
    regionCode: '410105',
    sectors: ['industry'],
    annualValueFen: 2_000_000_000,
  });
  for (const [name, e] of [
    ['ent', mine],
    ['otherEnt', theirs],
  ] as const)
    await user(name, {
      role: 'enterprise',
      kind: 'enterprise',
      regionCode: '410105',
      tier: 'enterprise',
      enterpriseId: e.id,
    });
  const draft = await as('province', 'POST', '/api/v1/whitelist/criteria', standardCriteria('industry'));
  expect(draft.statusCode).toBe(201);
  expect(
    (await as('province', 'POST', `/api/v1/whitelist/criteria/${draft.json().id}/publish`)).statusCode,
  ).toBe(200);
  const submitted = await as('ent', 'POST', '/api/v1/whitelist/applications', {
    sector: 'industry',
    answers: GOOD_ANSWERS,
  });
  expect(submitted.statusCode).toBe(201);
  applicationId = submitted.json().id;
  const other = await as('otherEnt', 'POST', '/api/v1/whitelist/applications', {
    sector: 'industry',
    answers: GOOD_ANSWERS,
  });
  otherApplicationId = other.json().id;
});
afterAll(async () => t.close());

describe('application materials', () => {
  let pdfId: string;

  it('stores a PDF and gives the same bytes back, as a download that is not sniffed', async () => {
    const res = await upload('ent', applicationId, PDF, '安全生产承诺书.pdf', 'application/pdf');
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json();
    pdfId = file.id;
    expect(file).toMatchObject({
      filename: '安全生产承诺书.pdf',
      mediaType: 'application/pdf',
      bytes: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
    });
    const down = await as('ent', 'GET', fileUrl(applicationId, pdfId));
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(PDF)).toBe(true);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(down.headers['content-disposition']).toMatch(
      /^attachment; filename="[^"]*\.pdf"; filename\*=UTF-8''/,
    );
    expect(down.headers['content-disposition']).toContain(encodeURIComponent('安全生产承诺书.pdf'));
  });

  it('tells the type from the content, not from the name or the content type sent', async () => {
    const cases: Array<[Buffer, string, string]> = [
      [PNG, '场所码.pdf', 'image/png'],
      [JPEG, '食堂照片.jpg', 'image/jpeg'],
      [XLSX, '物资清单.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      [DOCX, '闭环管理方案.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ];
    for (const [content, name, mediaType] of cases) {
      const res = await upload('ent', applicationId, content, name);
      expect(res.statusCode, name).toBe(201);
      expect(res.json().mediaType, name).toBe(mediaType);
    }
  });

  it('refuses other types with a stable code, and stores nothing', async () => {
    const refused: Array<[Buffer, string]> = [
      [Buffer.from('MZ\x90\x00 this program cannot be run in DOS mode'), '承诺书.pdf'],
      [Buffer.from('<html><script>alert(1)</script></html>'), 'page.html'],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), 'legacy.doc'],
      [writeZip([{ name: 'payload.exe', content: 'MZ' }]), 'archive.zip'],
      [Buffer.from('PK\x03\x04 not a zip at all'), 'broken.xlsx'],
    ];
    for (const [content, name] of refused) {
      const res = await upload('ent', applicationId, content, name);
      expect(res.statusCode, name).toBe(415);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code, name).toBe('WHITELIST_ATTACHMENT_TYPE');
    }
    const detail = (await as('ent', 'GET', `/api/v1/whitelist/applications/${applicationId}`)).json();
    expect(detail.files).toHaveLength(5);
  });

  it('the reviewer and the command office see the materials in the application and download them', async () => {
    for (const who of ['jinshui', 'command']) {
      const detail = await as(who, 'GET', `/api/v1/whitelist/applications/${applicationId}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.json().filesEditable).toBe(false);
      expect(detail.json().files.map((f: { filename: string }) => f.filename)).toEqual([
        '安全生产承诺书.pdf',
        '场所码.pdf',
        '食堂照片.jpg',
        '物资清单.xlsx',
        '闭环管理方案.docx',
      ]);
      const down = await as(who, 'GET', fileUrl(applicationId, pdfId));
      expect(down.statusCode, who).toBe(200);
      expect(down.rawPayload.equals(PDF)).toBe(true);
    }
    const queue = (await as('jinshui', 'GET', '/api/v1/whitelist/applications?status=submitted')).json();
    const listed = queue.items.find((a: { id: string }) => a.id === applicationId);
    expect(listed.files).toHaveLength(5);
    expect(listed.files[0]).not.toHaveProperty('content');
  });

  it('another enterprise, another county and another sector get 404, as for a missing file', async () => {
    for (const who of ['otherEnt', 'erqi', 'jinshuiCommerce']) {
      const res = await as(who, 'GET', fileUrl(applicationId, pdfId));
      expect(res.statusCode, who).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
    // The file id under an application the caller may read, but not its own: still 404.
    const crossed = await as('otherEnt', 'GET', fileUrl(otherApplicationId, pdfId));
    expect(crossed.statusCode).toBe(404);
    const foreignUpload = await upload('otherEnt', applicationId, PDF, 'x.pdf');
    expect(foreignUpload.statusCode).toBe(404);
    const foreignDelete = await as('otherEnt', 'DELETE', fileUrl(applicationId, pdfId));
    expect(foreignDelete.statusCode).toBe(404);
  });

  it('only the enterprise adds or deletes materials', async () => {
    const reviewerUpload = await upload('jinshui', applicationId, PDF, 'x.pdf');
    expect(reviewerUpload.statusCode).toBe(403);
    const reviewerDelete = await as('jinshui', 'DELETE', fileUrl(applicationId, pdfId));
    expect(reviewerDelete.statusCode).toBe(403);
  });

  it('the enterprise deletes a material while the application is open', async () => {
    const detail = (await as('ent', 'GET', `/api/v1/whitelist/applications/${applicationId}`)).json();
    expect(detail.filesEditable).toBe(true);
    const png = detail.files.find((f: { filename: string }) => f.filename === '场所码.pdf');
    const res = await as('ent', 'DELETE', fileUrl(applicationId, png.id));
    expect(res.statusCode).toBe(204);
    expect((await as('ent', 'GET', fileUrl(applicationId, png.id))).statusCode).toBe(404);
    expect((await as('ent', 'DELETE', fileUrl(applicationId, png.id))).statusCode).toBe(404);
  });

  it('caps the number of materials per application', async () => {
    const detail = (await as('ent', 'GET', `/api/v1/whitelist/applications/${applicationId}`)).json();
    for (let n = detail.files.length; n < MAX_ATTACHMENTS_PER_APPLICATION; n++) {
      expect((await upload('ent', applicationId, PDF, `材料${n}.pdf`)).statusCode).toBe(201);
    }
    const res = await upload('ent', applicationId, PDF, '多一份.pdf');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('WHITELIST_ATTACHMENT_LIMIT');
  });

  it('once decided the materials are part of the record: no more changes, still downloadable', async () => {
    const approved = await as('jinshui', 'POST', `/api/v1/whitelist/applications/${applicationId}/review`, {
      decision: 'approve',
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().files).toHaveLength(MAX_ATTACHMENTS_PER_APPLICATION);
    const del = await as('ent', 'DELETE', fileUrl(applicationId, pdfId));
    expect(del.statusCode).toBe(409);
    expect(del.json().code).toBe('WHITELIST_APPLICATION_DECIDED');
    expect((await as('ent', 'GET', fileUrl(applicationId, pdfId))).statusCode).toBe(200);
    const detail = (await as('ent', 'GET', `/api/v1/whitelist/applications/${applicationId}`)).json();
    expect(detail.filesEditable).toBe(false);
  });

  it('a returned application takes materials again', async () => {
    const returned = await as(
      'jinshui',
      'POST',
      `/api/v1/whitelist/applications/${otherApplicationId}/review`,
      {
        decision: 'return',
        reason: '请补充闭环管理方案',
      },
    );
    expect(returned.json().status).toBe('returned');
    const res = await upload('otherEnt', otherApplicationId, DOCX, '闭环管理方案.docx');
    expect(res.statusCode).toBe(201);
  });

  it('uploads and deletes are audited with name and hash, never the content', async () => {
    const rows = await dbRows<{ action: string; summary: Record<string, unknown> }>(
      t.db,
      sql`select action, summary from audit_log where action like 'whitelist.attachment_%' order by seq`,
    );
    const actions = rows.map((r) => r.action);
    expect(actions.filter((a) => a === 'whitelist.attachment_added')).toHaveLength(
      MAX_ATTACHMENTS_PER_APPLICATION + 2,
    );
    expect(actions.filter((a) => a === 'whitelist.attachment_deleted')).toHaveLength(1);
    expect(rows[0]!.summary).toMatchObject({ filename: '安全生产承诺书.pdf', mediaType: 'application/pdf' });
    expect(JSON.stringify(rows)).not.toContain('Catalog');
  });
  it('takes a file of exactly the size limit, whatever content type it is sent with', async () => {
    const full = Buffer.concat([PDF, Buffer.alloc(MAX_ATTACHMENT_BYTES - PDF.length, 0x20)]);
    const res = await upload('otherEnt', otherApplicationId, full, '满额.pdf');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ bytes: MAX_ATTACHMENT_BYTES, mediaType: 'application/pdf' });
    const down = await as('otherEnt', 'GET', fileUrl(otherApplicationId, res.json().id));
    expect(down.rawPayload.equals(full)).toBe(true);
  });

  it('refuses a file over the size limit', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_ATTACHMENT_BYTES + 1 - PDF.length, 0x20)]);
    const res = await upload('ent', applicationId, big, '超大.pdf', 'application/pdf');
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('FILE_TOO_LARGE');
    const huge = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1024 * 1024, 0x20);
    const over = await upload('ent', applicationId, huge, '更大.pdf');
    expect(over.statusCode).toBe(413);
  });
});
