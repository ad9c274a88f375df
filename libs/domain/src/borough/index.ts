export * from './wards';
