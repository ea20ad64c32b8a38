// Ranks questions with the widget's code (docs/assets/faq-match.js) for tests/test_faq_parity.py.
// Usage: node rank.js INDEX.json QUESTIONS.json  ->  prints [[id, ...], ...] (top 3 per question)
"use strict";
const fs = require("fs");
const path = require("path");
const match = require(path.resolve(__dirname, "../../docs/assets/faq-match.js"));
const index = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const questions = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const stopwords = new Set(index.stopwords);
const started = process.hrtime.bigint();
const ranked = questions.map((q) => match.rank(index, q, 3, stopwords).map((r) => r.entry.id));
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ ranked, ms }));
