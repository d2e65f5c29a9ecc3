import type { Locale, Role } from '@callboard/shared';

type Stage = 'new' | 'qualified' | 'booked' | 'won' | 'lost';

interface DemoTenant {
  name: string;
  slug: string;
  locale: Locale;
  timeZone: string;
  users: { role: Role; name: string; email: string }[];
  customers: { name: string | null; phone: string; email?: string; stage: Stage; tags?: string[] }[];
}

export const demoTenants: DemoTenant[] = [
  {
    name: 'إيجارات الرياض',
    slug: 'riyadh-rentals',
    locale: 'ar',
    timeZone: 'Asia/Riyadh',
    users: [
      { role: 'admin', name: 'أمل الحربي', email: 'amal@riyadh-rentals.example' },
      { role: 'supervisor', name: 'فيصل القحطاني', email: 'faisal@riyadh-rentals.example' },
      { role: 'agent', name: 'نورة العتيبي', email: 'noura@riyadh-rentals.example' },
    ],
    customers: [
      { name: 'عبدالله الشهري', phone: '+966501234567', email: 'abdullah@example.sa', stage: 'qualified', tags: ['villa'] },
      { name: 'سارة الدوسري', phone: '+966502345678', stage: 'booked', tags: ['apartment', 'family'] },
      { name: 'محمد العنزي', phone: '+966503456789', stage: 'new' },
      { name: 'ريم الزهراني', phone: '+966504567890', email: 'reem@example.sa', stage: 'won' },
      { name: 'خالد المطيري', phone: '+966505678901', stage: 'lost' },
      { name: 'Omar Haddad', phone: '+966506789012', email: 'omar.haddad@example.com', stage: 'qualified', tags: ['expat'] },
      { name: null, phone: '+966507890123', stage: 'new' },
      { name: 'هيا السبيعي', phone: '+966508901234', stage: 'new', tags: ['renewal'] },
    ],
  },
  {
    name: 'Harbour Lettings',
    slug: 'harbour-lettings',
    locale: 'en',
    timeZone: 'Asia/Dubai',
    users: [
      { role: 'admin', name: 'Sarah Collins', email: 'sarah@harbour-lettings.example' },
      { role: 'supervisor', name: 'James Whitaker', email: 'james@harbour-lettings.example' },
      { role: 'agent', name: 'Priya Nair', email: 'priya@harbour-lettings.example' },
    ],
    customers: [
      { name: 'Daniel Brooks', phone: '+971501112233', email: 'daniel.brooks@example.com', stage: 'qualified' },
      { name: 'Aisha Rahman', phone: '+971502223344', stage: 'booked', tags: ['studio'] },
      { name: 'Liam O’Connor', phone: '+971503334455', stage: 'new' },
      { name: 'Mei Tanaka', phone: '+971504445566', email: 'mei.tanaka@example.com', stage: 'won' },
      { name: null, phone: '+971505556677', stage: 'new' },
      { name: 'Youssef Karim', phone: '+971506667788', stage: 'lost' },
    ],
  },
];
