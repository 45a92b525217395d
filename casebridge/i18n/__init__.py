"""The interface's translations (docs/i18n.md): finding the template text not marked for
translation (`templates`), and making, filling, checking and compiling the message catalogues
(`catalogues`, `table`)."""
