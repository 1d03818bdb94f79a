"""Reading the plan document: lines → rows → a typed tree."""
