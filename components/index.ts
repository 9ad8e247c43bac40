/* barrel */ export {};
