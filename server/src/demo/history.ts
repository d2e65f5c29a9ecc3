import type { Actor, Locale } from '@callboard/shared';
import type { AppContext } from '../context.ts';
import { BookingService } from '../features/bookings/service.ts';
import { CampaignService } from '../features/campaigns/service.ts';
import { TicketService } from '../features/tickets/service.ts';

const DEMO: Actor = { type: 'system', name: 'Demo workspace' };
const DAY = 86_400_000;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

const words = {
  ar: {
    tickets: ['تسريب في مطبخ الشقة', 'المكيف لا يبرد', 'نسخة إضافية من المفتاح', 'تنظيف قبل الانتقال'],
    campaign: 'تجديد عقود الربع الأول',
  },
  en: {
    tickets: ['Kitchen tap is leaking', 'Air conditioning not cooling', 'Spare key request', 'Move-in cleaning'],
    campaign: 'Q1 lease renewals',
  },
} as const;

/**
 * Some history for the demo tenants, made through the same services as the API
 * (so it has activity entries and change events): tickets along their workflow,
 * bookings in each state, and a draft campaign with members.
 */
export async function seedHistory(ctx: AppContext, tenantId: string, locale: Locale, customerIds: string[]) {
  const tickets = new TicketService(ctx);
  const bookings = new BookingService(ctx);
  const campaigns = new CampaignService(ctx);
  const w = words[locale];
  const at = (i: number) => customerIds[i % customerIds.length]!;

  const plan = [
    { category: 'plumbing', priority: 'urgent', moves: [] },
    { category: 'electrical', priority: 'high', moves: ['in_progress'] },
    { category: 'keys', priority: 'low', moves: ['in_progress', 'pending_approval'] },
    { category: 'cleaning', priority: 'medium', moves: ['in_progress', 'pending_approval', 'resolved'] },
  ] as const;
  for (const [i, p] of plan.entries()) {
    let t = await tickets.create(
      tenantId,
      { customerId: at(i), subject: w.tickets[i]!, category: p.category, priority: p.priority, slaDueAt: new Date(Date.now() + (i - 1) * 6 * 3_600_000).toISOString() },
      DEMO,
    );
    for (const status of p.moves) t = await tickets.patch(tenantId, t.id, { version: t.version, set: { status } }, { role: 'admin', actor: DEMO });
  }

  const stays = [
    { code: 'RUH-OLAYA-12', start: 3, nights: 30, price: 4500, source: 'voice', by: 'ai', status: null },
    { code: 'RUH-MALQA-4', start: 10, nights: 180, price: 27000, source: 'web', by: 'human', status: 'confirmed' },
    { code: 'RUH-NARJIS-7', start: -40, nights: 30, price: 5200, source: 'chat', by: 'human', status: 'confirmed' },
  ] as const;
  for (const [i, s] of stays.entries()) {
    const b = await bookings.create(
      tenantId,
      { customerId: at(i + 1), propertyCode: s.code, startDate: isoDay(s.start), endDate: isoDay(s.start + s.nights), priceSar: s.price, source: s.source, createdBy: s.by },
      DEMO,
    );
    if (s.status) await bookings.patch(tenantId, b.id, { version: b.version, set: { status: s.status } }, DEMO);
  }

  const campaign = await campaigns.create(tenantId, { name: w.campaign, objective: 'renewals' }, DEMO);
  await campaigns.addMembers(tenantId, campaign.id, customerIds.slice(0, 4), DEMO);
}
