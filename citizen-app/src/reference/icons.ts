import { alertCircleOutline, bulbOutline, carOutline, helpCircleOutline, mapOutline, trashOutline, waterOutline } from 'ionicons/icons';

/** The API names icons generically (`trash`, `droplet`…); each maps to one ionicon. */
const icons: Record<string, string> = {
  trash: trashOutline,
  lightbulb: bulbOutline,
  road: carOutline,
  droplet: waterOutline,
  landmark: mapOutline,
  'help-circle': helpCircleOutline,
};

export const categoryIcon = (name: string): string => icons[name] ?? alertCircleOutline;
