import type { Polygon, Position } from '../geo/geometry.js';
import type { Category, Commune, ReferenceData, Team } from './types.js';
import { defaultAnswerStates } from '../proposal/policy.js';

/**
 * Demo reference data for the pilot communes. Boundaries are plausible outlines a few kilometres
 * across, drawn for demonstration; a commune loads its official cadastre boundaries instead.
 */

const polygon = (...ring: Position[]): Polygon => ({ type: 'Polygon', coordinates: [[...ring, ring[0]!]] });
/** A quartier drawn as a box: [west, south] to [east, north]. */
const box = (west: number, south: number, east: number, north: number): Polygon =>
  polygon([west, south], [east, south], [east, north], [west, north]);

/** Soa (Mefou-et-Afamba), university town north of Yaoundé, around 3.98° N, 11.60° E. */
const soa: Commune = {
  id: 'soa',
  name: 'Soa',
  division: 'Mefou-et-Afamba',
  boundary: polygon(
    [11.545, 3.975],
    [11.56, 3.935],
    [11.6, 3.92],
    [11.64, 3.935],
    [11.658, 3.975],
    [11.645, 4.025],
    [11.6, 4.045],
    [11.555, 4.02],
  ),
  quartiers: [
    { id: 'soa-centre', communeId: 'soa', name: 'Soa-Centre', boundary: box(11.57, 3.98, 11.63, 4.01) },
    // Nkolfoulou and Ebogo share a winding boundary along the stream between them.
    {
      id: 'soa-nkolfoulou',
      communeId: 'soa',
      name: 'Nkolfoulou',
      boundary: polygon([11.57, 3.95], [11.6, 3.95], [11.605, 3.965], [11.598, 3.98], [11.57, 3.98]),
    },
    {
      id: 'soa-ebogo',
      communeId: 'soa',
      name: 'Ebogo',
      boundary: polygon([11.6, 3.95], [11.63, 3.95], [11.63, 3.98], [11.598, 3.98], [11.605, 3.965]),
    },
  ],
  // Soa runs proposals its own way (a demo of a commune's settings): a smaller town answers from 50
  // supports, within 21 days, and may say a proposal is in next year's budget.
  proposalPolicy: {
    supportThreshold: 50,
    answerDays: 21,
    answerStates: [
      ...defaultAnswerStates,
      { id: 'in_next_budget', labels: { fr: 'Inscrite au budget de l’an prochain', en: 'In next year’s budget' }, final: true, needsText: true, needsCost: true },
    ],
  },
};

/** Dschang (Menoua), in the western highlands, around 5.45° N, 10.05° E. */
const dschang: Commune = {
  id: 'dschang',
  name: 'Dschang',
  division: 'Menoua',
  boundary: polygon(
    [9.985, 5.45],
    [10.0, 5.395],
    [10.05, 5.38],
    [10.1, 5.395],
    [10.118, 5.45],
    [10.1, 5.51],
    [10.05, 5.522],
    [10.0, 5.505],
  ),
  quartiers: [
    { id: 'dschang-foreke', communeId: 'dschang', name: 'Foréké', boundary: box(10.02, 5.42, 10.04, 5.48) },
    { id: 'dschang-centre-ville', communeId: 'dschang', name: 'Centre-ville', boundary: box(10.04, 5.445, 10.06, 5.48) },
    { id: 'dschang-keleng', communeId: 'dschang', name: 'Keleng', boundary: box(10.04, 5.42, 10.06, 5.445) },
    { id: 'dschang-foto', communeId: 'dschang', name: 'Foto', boundary: box(10.06, 5.42, 10.08, 5.48) },
  ],
};

export const demoCommunes: readonly Commune[] = [soa, dschang];

export const demoCategories: readonly Category[] = [
  {
    id: 'salubrite',
    labels: { fr: 'Salubrité', en: 'Sanitation' },
    icon: 'trash',
    subcategories: [
      { id: 'bacs-pleins', labels: { fr: 'Bacs à ordures pleins', en: 'Overflowing waste bins' } },
      { id: 'depots-sauvages', labels: { fr: 'Dépôts sauvages', en: 'Illegal dumping' } },
      { id: 'caniveaux-bouches', labels: { fr: 'Caniveaux bouchés', en: 'Blocked drains' } },
    ],
  },
  {
    id: 'eclairage',
    labels: { fr: 'Éclairage et sécurité', en: 'Street lighting and safety' },
    icon: 'lightbulb',
    subcategories: [
      { id: 'lampadaire-en-panne', labels: { fr: 'Lampadaire en panne', en: 'Broken street light' } },
      { id: 'rue-non-eclairee', labels: { fr: 'Rue non éclairée', en: 'Dark street' } },
      { id: 'lieu-dangereux', labels: { fr: 'Lieu dangereux', en: 'Unsafe place' } },
    ],
  },
  {
    id: 'voirie',
    labels: { fr: 'Voirie', en: 'Roads' },
    icon: 'road',
    subcategories: [
      { id: 'nids-de-poule', labels: { fr: 'Nids-de-poule', en: 'Potholes' } },
      { id: 'chaussee-degradee', labels: { fr: 'Chaussée dégradée', en: 'Damaged road surface' } },
      { id: 'signalisation', labels: { fr: 'Signalisation manquante', en: 'Missing road signs' } },
    ],
  },
  {
    id: 'reseaux',
    labels: { fr: 'Réseaux (eau, électricité)', en: 'Utilities (water, power)' },
    icon: 'droplet',
    subcategories: [
      { id: 'fuite-eau', labels: { fr: "Fuite d'eau", en: 'Water leak' } },
      { id: 'coupure-eau', labels: { fr: "Coupure d'eau", en: 'Water outage' } },
      { id: 'cable-dangereux', labels: { fr: 'Câble électrique dangereux', en: 'Dangerous power line' } },
    ],
  },
  {
    id: 'foncier',
    labels: { fr: 'Foncier et espace public', en: 'Land and public space' },
    icon: 'landmark',
    subcategories: [
      { id: 'occupation-illegale', labels: { fr: "Occupation illégale de l'espace public", en: 'Illegal occupation of public space' } },
      { id: 'construction-sans-permis', labels: { fr: 'Construction sans permis', en: 'Building without a permit' } },
    ],
  },
  {
    id: 'autre',
    labels: { fr: 'Autre', en: 'Other' },
    icon: 'help-circle',
    subcategories: [],
  },
];

export const demoTeams: readonly Team[] = [
  { id: 'soa-salubrite', communeId: 'soa', name: 'Service hygiène et salubrité de Soa', categories: ['salubrite'] },
  { id: 'soa-voirie', communeId: 'soa', name: 'Service voirie de Soa', categories: ['voirie'] },
  // A small commune: one team looks after water, power and street lights.
  { id: 'soa-reseaux', communeId: 'soa', name: 'Service réseaux et éclairage de Soa', categories: ['reseaux', 'eclairage'] },
  // No land service in Soa: land complaints reach the general services through the fallback.
  { id: 'soa-autre', communeId: 'soa', name: 'Services généraux de Soa', categories: ['autre'] },
  { id: 'dschang-salubrite', communeId: 'dschang', name: 'Service hygiène et salubrité de Dschang', categories: ['salubrite'] },
  { id: 'dschang-eclairage', communeId: 'dschang', name: 'Service éclairage public de Dschang', categories: ['eclairage'] },
  { id: 'dschang-voirie', communeId: 'dschang', name: 'Service voirie de Dschang', categories: ['voirie'] },
  { id: 'dschang-reseaux', communeId: 'dschang', name: 'Service réseaux de Dschang', categories: ['reseaux'] },
  { id: 'dschang-foncier', communeId: 'dschang', name: 'Service des affaires domaniales de Dschang', categories: ['foncier'] },
  { id: 'dschang-autre', communeId: 'dschang', name: 'Services généraux de Dschang', categories: ['autre'] },
];

export const demoReference: ReferenceData = { communes: demoCommunes, teams: demoTeams, categories: demoCategories };
