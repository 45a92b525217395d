"""The PDF documents Casebridge produces: one base for all of them (`pdf.Document`), and the fonts
it embeds (`fonts`). docs/documents.md describes them."""
