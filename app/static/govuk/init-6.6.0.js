// Written by make frontend: starts every GOV.UK Frontend component on the page.
import { initAll } from "./govuk-frontend-6.6.0.min.js";

initAll();
