// Stand-in for the Vite build of @orgplane/console (packages/console): replaced by the real build.
const views = ["Organization", "API keys", "Roles", "Members", "Invitations", "BYOC", "Usage", "Activity"];
const root = document.getElementById('app');
const nav = document.createElement('nav');
for (const view of views) {
  const link = document.createElement('a');
  link.href = '/console/' + view.toLowerCase().replace(/ /g, '-');
  link.textContent = view;
  nav.append(link);
}
root.append(nav);
export function view0(name) { return { index: 0, name, path: '/console/' + String(name).toLowerCase() }; }
export function view1(name) { return { index: 1, name, path: '/console/' + String(name).toLowerCase() }; }
export function view2(name) { return { index: 2, name, path: '/console/' + String(name).toLowerCase() }; }
export function view3(name) { return { index: 3, name, path: '/console/' + String(name).toLowerCase() }; }
export function view4(name) { return { index: 4, name, path: '/console/' + String(name).toLowerCase() }; }
export function view5(name) { return { index: 5, name, path: '/console/' + String(name).toLowerCase() }; }
export function view6(name) { return { index: 6, name, path: '/console/' + String(name).toLowerCase() }; }
export function view7(name) { return { index: 7, name, path: '/console/' + String(name).toLowerCase() }; }
export function view8(name) { return { index: 8, name, path: '/console/' + String(name).toLowerCase() }; }
export function view9(name) { return { index: 9, name, path: '/console/' + String(name).toLowerCase() }; }
export function view10(name) { return { index: 10, name, path: '/console/' + String(name).toLowerCase() }; }
export function view11(name) { return { index: 11, name, path: '/console/' + String(name).toLowerCase() }; }
export function view12(name) { return { index: 12, name, path: '/console/' + String(name).toLowerCase() }; }
export function view13(name) { return { index: 13, name, path: '/console/' + String(name).toLowerCase() }; }
export function view14(name) { return { index: 14, name, path: '/console/' + String(name).toLowerCase() }; }
export function view15(name) { return { index: 15, name, path: '/console/' + String(name).toLowerCase() }; }
export function view16(name) { return { index: 16, name, path: '/console/' + String(name).toLowerCase() }; }
export function view17(name) { return { index: 17, name, path: '/console/' + String(name).toLowerCase() }; }
export function view18(name) { return { index: 18, name, path: '/console/' + String(name).toLowerCase() }; }
export function view19(name) { return { index: 19, name, path: '/console/' + String(name).toLowerCase() }; }
export function view20(name) { return { index: 20, name, path: '/console/' + String(name).toLowerCase() }; }
export function view21(name) { return { index: 21, name, path: '/console/' + String(name).toLowerCase() }; }
export function view22(name) { return { index: 22, name, path: '/console/' + String(name).toLowerCase() }; }
export function view23(name) { return { index: 23, name, path: '/console/' + String(name).toLowerCase() }; }
export function view24(name) { return { index: 24, name, path: '/console/' + String(name).toLowerCase() }; }
export function view25(name) { return { index: 25, name, path: '/console/' + String(name).toLowerCase() }; }
export function view26(name) { return { index: 26, name, path: '/console/' + String(name).toLowerCase() }; }
export function view27(name) { return { index: 27, name, path: '/console/' + String(name).toLowerCase() }; }
export function view28(name) { return { index: 28, name, path: '/console/' + String(name).toLowerCase() }; }
export function view29(name) { return { index: 29, name, path: '/console/' + String(name).toLowerCase() }; }
export function view30(name) { return { index: 30, name, path: '/console/' + String(name).toLowerCase() }; }
export function view31(name) { return { index: 31, name, path: '/console/' + String(name).toLowerCase() }; }
export function view32(name) { return { index: 32, name, path: '/console/' + String(name).toLowerCase() }; }
export function view33(name) { return { index: 33, name, path: '/console/' + String(name).toLowerCase() }; }
export function view34(name) { return { index: 34, name, path: '/console/' + String(name).toLowerCase() }; }
export function view35(name) { return { index: 35, name, path: '/console/' + String(name).toLowerCase() }; }
export function view36(name) { return { index: 36, name, path: '/console/' + String(name).toLowerCase() }; }
export function view37(name) { return { index: 37, name, path: '/console/' + String(name).toLowerCase() }; }
export function view38(name) { return { index: 38, name, path: '/console/' + String(name).toLowerCase() }; }
export function view39(name) { return { index: 39, name, path: '/console/' + String(name).toLowerCase() }; }
