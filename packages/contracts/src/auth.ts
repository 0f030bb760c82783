import { z } from 'zod';
import { ORG_UNIT_KINDS, PERMISSIONS, ROLES, SECTORS, TIERS } from './access';

export const LoginBodySchema = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const MfaCodeBodySchema = z.strictObject({ code: z.string().regex(/^\d{6}$/) });
export type MfaCodeBody = z.infer<typeof MfaCodeBodySchema>;

export const OrgUnitKindSchema = z.enum(ORG_UNIT_KINDS);

export const MeSchema = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    mfaEnabled: z.boolean(),
    passwordExpired: z.boolean(),
  }),
  orgUnit: z.object({
    id: z.string(),
    name: z.string(),
    kind: OrgUnitKindSchema,
    enterpriseId: z.string().nullable(),
  }),
  region: z.object({ code: z.string(), name: z.string() }),
  tier: z.enum(TIERS),
  sectors: z.array(z.enum(SECTORS)),
  permissions: z.array(z.enum(PERMISSIONS)),
  mfaRequired: z.boolean(),
  session: z.object({ idleTimeoutSeconds: z.number().int(), expiresAt: z.string() }),
});
export type Me = z.infer<typeof MeSchema>;

/** Login either completes or asks for the second factor (the session is then half-open). */
export const LoginResponseSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), me: MeSchema }),
  z.object({ status: z.literal('mfa_required') }),
  z.object({ status: z.literal('mfa_enrolment_required') }),
]);
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const ChangePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBodySchema>;

export const MfaEnrolmentSchema = z.object({ secret: z.string(), otpauthUri: z.string() });
export type MfaEnrolment = z.infer<typeof MfaEnrolmentSchema>;

export const SessionInfoSchema = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export const SessionListSchema = z.object({ items: z.array(SessionInfoSchema) });
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const HealthSchema = z.object({
  status: z.enum(['ok']),
  db: z.enum(['pglite', 'postgresql']),
  version: z.string(),
});
export type Health = z.infer<typeof HealthSchema>;

export const RegionSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'city', 'county', 'zone']),
  parentCode: z.string().nullable(),
  childCount: z.number().int(),
});
export type Region = z.infer<typeof RegionSchema>;
export const RegionListSchema = z.object({ items: z.array(RegionSchema) });

export const JobProgressSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  total: z.number().int().nullable(),
  done: z.number().int(),
  message: z.string().nullable(),
  result: z.unknown().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;
